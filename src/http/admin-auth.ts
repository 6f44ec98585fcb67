import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashKey, sameDigest } from '../core/auth/keys.js';
import { notFound, unauthorized } from '../core/errors.js';
import type { HttpDeps } from './deps.js';
import { bearerOf } from './partner-auth.js';

/**
 * Admin API gate: `Authorization: Bearer <TALLY_ADMIN_TOKEN>`. Without a configured token the admin
 * API does not exist (404). Digests are compared in constant time, so timing says nothing of the
 * token.
 */
export const adminAuth = (deps: HttpDeps) => {
  const expected = deps.config.adminToken === null ? null : hashKey(deps.config.adminToken);
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (expected === null) throw notFound('The admin API is off; set TALLY_ADMIN_TOKEN to turn it on');
    await deps.guard.checkAddress(request.ip);
    const given = bearerOf(request);
    if (!given || !sameDigest(hashKey(given), expected)) {
      // Wrong admin tokens count toward the same address block as wrong vendor keys.
      await deps.guard.recordAuthFailure(request.ip);
      throw unauthorized();
    }
  };
};
