import { isIP } from 'node:net';
import { badRequest } from '../errors.js';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

const v4 = (address: string) => address.split('.').map(Number) as [number, number, number, number];

/** Loopback addresses: tests and demos on the same machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (LOOPBACK_NAMES.has(bare)) return true;
  return isIP(bare) === 4 && v4(bare)[0] === 127;
}

/** RFC 1918, link-local, carrier-grade NAT and IPv6 unique-local / link-local addresses. */
export function isPrivateAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(bare) === 4) {
    const [a, b] = v4(bare);
    return (
      a === 10 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(bare) === 6) return /^(fc|fd|fe8|fe9|fea|feb)/.test(bare) || bare.startsWith('::ffff:');
  return false;
}

/**
 * A PSA address Tally may send credentials to: https (plain http only to loopback), no path, no
 * user info, and not on a private network unless the operator allows it. Answers the origin.
 */
export function requirePsaSite(text: string, allowPrivateNetwork: boolean): string {
  return checkedUrl(text, 'site', allowPrivateNetwork).origin;
}

/** The same rule for an address with a path (HaloPSA's authorisation server); answers it without a trailing slash. */
export function requirePsaUrl(text: string, field: string, allowPrivateNetwork: boolean): string {
  const url = checkedUrl(text, field, allowPrivateNetwork);
  if (url.search || url.hash) throw badRequest(`${field} must not contain a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function checkedUrl(text: string, field: string, allowPrivateNetwork: boolean): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw badRequest(`${field} must be an address such as https://api-na.myconnectwise.net`);
  }
  const loopback = isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw badRequest(`${field} must use https (plain http is only allowed to a loopback address)`);
  }
  if (url.username || url.password) throw badRequest(`${field} must not contain a user name or password`);
  if (!loopback && !allowPrivateNetwork && isPrivateAddress(url.hostname)) {
    throw badRequest(
      `${field} is on a private network; set TALLY_PSA_ALLOW_PRIVATE_NETWORK=true to connect an on-premises PSA`,
    );
  }
  return url;
}
