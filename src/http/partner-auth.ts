import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticatePartner } from '../core/auth/authenticate-partner.js';
import { TallyError, forbidden } from '../core/errors.js';
import type { Partner, PartnerUser } from '../core/model.js';
import type { HttpDeps } from './deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    partner?: Partner;
    /** The signed-in person; absent when a script called with the partner's bearer token. */
    partnerUser?: PartnerUser;
  }
}

/** The cookie that carries a partner user's session. */
export const SESSION_COOKIE = 'tally_session';

/** How the OpenAPI document says a partner route is authenticated: either scheme will do. */
export const PARTNER_SECURITY: Record<string, string[]>[] = [{ Bearer: [] }, { SessionCookie: [] }];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The bearer token of `Authorization: Bearer …`; '' for any other Authorization header. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
}

/**
 * A browser sends the session cookie with any request to this site, also one a page elsewhere
 * makes it send. SameSite=Lax stops most of those; refusing a write whose Origin names another
 * host stops the rest. Sign-in and sign-out set and clear the cookie, so they follow the same rule.
 */
export function refuseCrossSite(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (SAFE_METHODS.has(request.method) || origin === undefined) return;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host !== request.host) throw forbidden('Cross-site requests may not use the session cookie');
}

/**
 * Partner API gate: `Authorization: Bearer <partnerToken>` (scripts) or the `tally_session` cookie
 * (the web UI). Sets `request.partner`, and `request.partnerUser` for a signed-in person.
 */
export const partnerAuth =
  (deps: HttpDeps) =>
  async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const bearer = bearerOf(request);
    const sessionToken = bearer === undefined ? request.cookies[SESSION_COOKIE] : undefined;
    // A bearer token can be guessed like a vendor key: wrong ones count toward the address block.
    if (bearer !== undefined) await deps.guard.checkAddress(request.ip);
    const principal = await authenticatePartner(deps.ctx, { bearer, sessionToken }).catch(
      async (error: unknown) => {
        if (bearer !== undefined && error instanceof TallyError && error.code === 'unauthorized')
          await deps.guard.recordAuthFailure(request.ip);
        throw error;
      },
    );
    if (principal.user) refuseCrossSite(request);
    request.partner = principal.partner;
    if (principal.user) request.partnerUser = principal.user;
  };

/** The authenticated partner; only valid on routes guarded by partnerAuth. */
export const partnerOf = (request: FastifyRequest): Partner => {
  if (!request.partner) throw new Error('partnerAuth did not run for this route');
  return request.partner;
};

/** Who acts, for the audit log: the signed-in user's email, or 'api token' for a script. */
export const actorOf = (request: FastifyRequest): string => request.partnerUser?.email ?? 'api token';
