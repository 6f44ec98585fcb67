import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks secrets: `whsec_` and the base64 of the key bytes. */
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret with 32 random bytes of key. */
export const newWebhookSecret = (): string => SECRET_PREFIX + randomBytes(32).toString('base64');

/** The key bytes of a `whsec_…` secret. */
const keyOf = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, as the specification defines the signature. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/** The webhook-signature header: one signature per live secret, separated by spaces. */
export const signatureHeader = (
  secrets: string[],
  id: string,
  timestampSeconds: number,
  body: string,
): string => secrets.map((s) => signWebhook(s, id, timestampSeconds, body)).join(' ');
