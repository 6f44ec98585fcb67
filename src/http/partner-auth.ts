import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashKey } from '../core/auth/keys.js';
import { unauthorized } from '../core/errors.js';
import type { Partner } from '../core/model.js';
import type { HttpDeps } from './deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    partner?: Partner;
  }
}

/** Partner API gate: `Authorization: Bearer <partnerToken>`. Sets `request.partner`. */
export const partnerAuth =
  (deps: HttpDeps) =>
  async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) throw unauthorized();
    const partner = await deps.ctx.store.findPartnerByTokenHash(hashKey(match[1]));
    if (!partner) throw unauthorized();
    request.partner = partner;
  };

/** The signed-in partner; only valid on routes guarded by partnerAuth. */
export const partnerOf = (request: FastifyRequest): Partner => {
  if (!request.partner) throw new Error('partnerAuth did not run for this route');
  return request.partner;
};
