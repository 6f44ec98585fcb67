import type { FastifyInstance } from 'fastify';
import { badRequest } from '../core/errors.js';

/** True when a decoded value holds U+0000. */
export const hasNul = (value: string): boolean => value.includes('\u0000');

/**
 * PostgreSQL text cannot hold U+0000 and SQLite can, so a NUL reaching the store would be a 500 on one
 * engine and a stored oddity on the other. It is refused at the edge instead, for URLs here and for
 * JSON bodies in the parser, so both engines answer the same 400.
 */
export function installNulRefusal(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (/%00/i.test(request.url)) throw badRequest('The request URL may not contain a NUL (%00) character');
  });
}
