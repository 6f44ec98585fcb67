import { BlockList, isIP } from 'node:net';
import { badRequest } from '../errors.js';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Addresses a webhook must not reach unless the operator allows private networks. */
const privateNets = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  privateNets.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  privateNets.addSubnet(net, bits, 'ipv6');

/** `::ffff:10.0.0.1` is 10.0.0.1 for this purpose. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export const isLoopbackAddress = (address: string): boolean => {
  const a = normalise(address);
  return loopback.check(a.address, a.family);
};

/** Why a resolved address may not be called, or null when it may. */
export function refusedAddress(address: string, allowPrivate: boolean): string | null {
  const a = normalise(address);
  if (loopback.check(a.address, a.family)) return null;
  if (!allowPrivate && privateNets.check(a.address, a.family)) {
    return `${address} is in a private network; the operator has not allowed webhooks to private networks`;
  }
  return null;
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || (isIP(host) !== 0 && isLoopbackAddress(host));

/**
 * A webhook URL must be https, or point at this machine (loopback, for development). Addresses
 * in private networks are refused unless the operator allows them; names are checked again
 * against the address they resolve to at each delivery.
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest('url must be an absolute URL, like https://example.com/hooks/tally');
  }
  if (url.username || url.password) throw badRequest('url must not carry a user name or password');
  const host = hostOf(url);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(host))) {
    throw badRequest('url must use https (plain http is accepted for loopback addresses only)');
  }
  if (isIP(host) !== 0) {
    const refusal = refusedAddress(host, allowPrivate);
    if (refusal) throw badRequest(`url: ${refusal}`);
  }
  return url.toString();
}
