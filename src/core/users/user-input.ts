import { badRequest } from '../errors.js';

/** Lower-case and trimmed: one person, one account, however they type the address. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The normalised email, or a 400 when it cannot be an address. */
export function requireEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (!EMAIL.test(normalized) || normalized.length > 254) {
    throw badRequest(`email must be an email address; got "${email}"`);
  }
  return normalized;
}

/** Long enough to resist guessing at scrypt's pace; no composition rules (they add little). */
export const MIN_PASSWORD_LENGTH = 10;

export function requirePassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw badRequest(`password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return password;
}
