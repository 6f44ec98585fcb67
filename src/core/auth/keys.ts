import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Key kinds; the prefix lets people (and secret scanners) tell a leaked key's kind at a glance. */
export const KEY_PREFIX = {
  vendor: 'tvk_',
  partnerKey: 'tpk_',
  partnerToken: 'tpt_',
  session: 'tss_',
} as const;

/** 32 bytes from the CSPRNG, base64url: 256 bits, and never a colon, so token splitting stays exact. */
export const generateKey = (kind: keyof typeof KEY_PREFIX): string =>
  KEY_PREFIX[kind] + randomBytes(32).toString('base64url');

/**
 * Keys are stored as SHA-256 digests only. The keys are random and long, so a fast hash is enough:
 * there is nothing to brute-force, and lookups by digest stay one index probe.
 */
export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** Compares two digests without an early exit, so response time says nothing about the key. */
export const sameDigest = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
};

/** The value for the GRADIENT-TOKEN header: base64 of "vendorKey:partnerKey". */
export const gradientToken = (vendorKey: string, partnerKey: string): string =>
  Buffer.from(`${vendorKey}:${partnerKey}`, 'utf8').toString('base64');

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Splits a GRADIENT-TOKEN into its halves; undefined when it is not base64 of "a:b". */
export function parseGradientToken(header: string): { vendorKey: string; partnerKey: string } | undefined {
  const value = header.trim();
  if (value.length === 0 || value.length > 1024 || !BASE64.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { vendorKey: decoded.slice(0, colon), partnerKey: decoded.slice(colon + 1) };
}
