import { badRequest } from '../errors.js';

/** A billed quantity: a finite number, not negative (fractions allowed, e.g. terabytes). */
export function requireQuantity(value: number, field = 'quantity'): number {
  if (!Number.isFinite(value) || value < 0) throw badRequest(`${field} must be a number of at least 0`);
  return value;
}
