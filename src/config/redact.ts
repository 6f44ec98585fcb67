import type { Config } from './config.js';

/** Hides the password of a URL; an unparsable URL is hidden entirely. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '***';
  }
}

/** A setting as it may be shown to a person: secrets masked, URLs without their password. */
export function redactSetting(key: keyof Config, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (key === 'adminToken' || key === 'secretKey') return '***';
  if (key === 'databaseUrl' || key === 'redisUrl') return redactUrl(String(value));
  return value;
}
