import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { badRequest } from '../core/errors.js';

/**
 * JSON bodies, tolerant of what real clients send: an empty body (a PATCH with no payload, as the
 * official SDK sends) is no body, and a JSON body sent without the JSON content type is still JSON.
 * Prototype-poisoning keys are refused.
 */
export function installJsonParser(app: FastifyInstance): void {
  const parse = (
    _req: unknown,
    body: string | Buffer,
    done: (err: Error | null, value?: unknown) => void,
  ) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch {
      done(badRequest('Malformed JSON in request body'));
    }
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parse);
  app.addContentTypeParser('*', { parseAs: 'string' }, parse);
}
