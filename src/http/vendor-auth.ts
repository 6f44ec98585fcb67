import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  authenticateVendor,
  type TokenScope,
  type VendorPrincipal,
} from '../core/auth/authenticate-vendor.js';
import { AnomalyError, TallyError } from '../core/errors.js';
import type { Integration } from '../core/model.js';
import type { HttpDeps } from './deps.js';
import { setRateLimitHeaders } from './guard/rate-limit-headers.js';

declare module 'fastify' {
  interface FastifyRequest {
    vendorPrincipal?: VendorPrincipal;
  }
}

const header = (request: FastifyRequest): string | undefined => {
  // Node lower-cases header names, so GRADIENT-TOKEN, Gradient-Token and gradient-token all land here.
  const value = request.headers['gradient-token'];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The vendor API's gate, in the contract's order: a blocked address (403), the token (401), the
 * rate limit (429, or 403 for a token that ignores it). Sets `request.vendorPrincipal`.
 */
export const vendorAuth =
  (deps: HttpDeps, scope: TokenScope, options: { cached?: boolean; admit?: boolean } = {}) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await deps.guard.checkAddress(request.ip);
    let principal: VendorPrincipal;
    try {
      // Only the count routes use remembered principals: their transaction checks the keys again.
      principal = await authenticateVendor(
        deps.ctx,
        header(request),
        scope,
        options.cached ? deps.principals : undefined,
      );
    } catch (error) {
      if (error instanceof TallyError && error.code === 'unauthorized')
        await deps.guard.recordAuthFailure(request.ip);
      // The guard counts its own refusals; this one (a disconnected integration) comes from the core.
      if (error instanceof AnomalyError) deps.metrics.anomalies.inc({ rule: error.anomaly });
      throw error;
    }
    request.vendorPrincipal = principal;
    // `admit: false`: the route weighs the request once its body is read (see vendorAdmitWeighed).
    if (options.admit !== false) setRateLimitHeaders(reply, await deps.guard.admit(tokenKeyOf(principal)));
  };

/** Integration tokens are limited per integration; vendor-only tokens per vendor key. */
const tokenKeyOf = (principal: VendorPrincipal): string =>
  principal.integration ? `i:${principal.integration.id}` : `v:${principal.vendor.id}`;

/**
 * The rate limit for a route authenticated with `admit: false`, run once the body is parsed: the
 * request counts as `weigh(request)` requests against the token's budget.
 */
export const vendorAdmitWeighed =
  (deps: HttpDeps, weigh: (request: FastifyRequest) => number) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    setRateLimitHeaders(reply, await deps.guard.admit(tokenKeyOf(principalOf(request)), weigh(request)));
  };

/** The authenticated principal; only valid on routes guarded by vendorAuth. */
export const principalOf = (request: FastifyRequest): VendorPrincipal => {
  if (!request.vendorPrincipal) throw new Error('vendorAuth did not run for this route');
  return request.vendorPrincipal;
};

/** The integration of an integration-scoped route. */
export const integrationOf = (request: FastifyRequest): Integration => {
  const { integration } = principalOf(request);
  if (!integration) throw new Error('Route needs an integration-scoped token');
  return integration;
};
