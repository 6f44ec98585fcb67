import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * PSA credentials sealed with AES-256-GCM under the deployment's secret key. The box carries its
 * own random nonce and the authentication tag, so a changed or mis-keyed box fails to open instead
 * of yielding garbage.
 */
const VERSION = 'v1';

/** 32 key bytes from base64 or hex text; anything else is refused with a message saying what fits. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new Error('TALLY_SECRET_KEY must be 32 bytes, written as 64 hex digits or as base64');
  }
  return key;
}

export function sealSecrets(key: Buffer, secrets: Record<string, string>): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return [VERSION, nonce, cipher.getAuthTag(), sealed]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
    .join('.');
}

export function openSecrets(key: Buffer, box: string): Record<string, string> {
  const [version, nonce, tag, sealed] = box.split('.');
  if (version !== VERSION || !nonce || !tag || sealed === undefined)
    throw new Error('Unknown secret box format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  try {
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  } catch {
    throw new Error('The PSA credentials cannot be opened with this TALLY_SECRET_KEY');
  }
}
