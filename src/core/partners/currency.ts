import { badRequest } from '../errors.js';

export const DEFAULT_CURRENCY = 'USD';

/** An ISO 4217 code the runtime knows (three capital letters), e.g. "EUR"; lower case is taken too. */
export function requireCurrency(value: string): string {
  const code = value.trim().toUpperCase();
  const known = /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
  if (!known) throw badRequest(`currency must be an ISO 4217 code such as USD or EUR; got "${value}"`);
  return code;
}
