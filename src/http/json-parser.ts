import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { TallyError, badRequest } from '../core/errors.js';
import { hasNul } from './refuse-nul.js';

/**
 * JSON bodies, tolerant of what real clients send: an empty body (a PATCH with no payload, as the
 * official SDK sends) is no body, and a JSON body sent without the JSON content type is still JSON.
 * Prototype-poisoning keys are refused, and so are NUL characters in keys and strings (see refuse-nul.ts).
 */
export function installJsonParser(app: FastifyInstance): void {
  const refuseNul = (key: string, value: unknown) => {
    if (hasNul(key) || (typeof value === 'string' && hasNul(value))) {
      throw badRequest('Strings in the request body may not contain a NUL (\\u0000) character');
    }
    return value;
  };
  const parse = (
    _req: unknown,
    body: string | Buffer,
    done: (err: Error | null, value?: unknown) => void,
  ) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, sjson.parse(text, refuseNul, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      done(error instanceof TallyError ? error : badRequest('Malformed JSON in request body'));
    }
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parse);
  app.addContentTypeParser('*', { parseAs: 'string' }, parse);
}
