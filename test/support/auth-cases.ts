import { gradientToken } from '../../src/core/auth/keys.js';
import type { Fixture } from './harness.js';

/**
 * Credentials an integration-scoped vendor route must refuse with a bare 401, given the fixture that
 * owns the route's data and a second integration of another vendor. `token` undefined sends no header.
 */
export const refusedTokens = (f: Fixture, other: Fixture): [string, string | undefined][] => [
  ['no token', undefined],
  ['an undecodable token', '%%% not base64 %%%'],
  ['base64 without a colon', Buffer.from('no-colon-here').toString('base64')],
  ['a wrong vendor key', gradientToken('tvk_made_up', f.partnerKey)],
  ['a wrong partner key', gradientToken(f.vendorKey, 'tpk_made_up')],
  ["another vendor's partner key", gradientToken(f.vendorKey, other.partnerKey)],
  ['a vendor-only token', f.vendorToken],
];

export const UNAUTHORIZED = { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' };

/** Limits loose enough that a suite's deliberate 401s and quick bursts never trip the guard. */
export const RELAXED_GUARD = { rateLimitPerSecond: 100_000, authFailureLimit: 100_000 };
