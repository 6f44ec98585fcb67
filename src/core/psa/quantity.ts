import { badRequest } from '../errors.js';
import { MAX_QUANTITY, QUANTITY_DECIMALS } from '../limits/input-limits.js';

/**
 * A quantity (a vendor's unit count, a billed quantity): a finite number from 0 to MAX_QUANTITY
 * with at most QUANTITY_DECIMALS decimals (fractions allowed, e.g. terabytes). Anything larger or
 * finer could not be billed exactly and would make sums overflow or print with an exponent.
 */
export function requireQuantity(value: number, field = 'quantity'): number {
  if (!Number.isFinite(value) || value < 0) throw badRequest(`${field} must be a number of at least 0`);
  if (value > MAX_QUANTITY) throw badRequest(`${field} must be at most ${MAX_QUANTITY_TEXT}`);
  if (decimalsOf(value) > QUANTITY_DECIMALS) {
    throw badRequest(`${field} must have at most ${QUANTITY_DECIMALS} decimals`);
  }
  return value;
}

/** 1000000000000 in a message, never 1e12. */
export const MAX_QUANTITY_TEXT = String(MAX_QUANTITY);

/** How many decimals a number prints with; tiny numbers (1e-7) print with an exponent. */
function decimalsOf(value: number): number {
  const text = String(value);
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) {
    const mantissaDecimals = (text.split('e')[0]?.split('.')[1] ?? '').length;
    return Number(exponent[1]) + mantissaDecimals;
  }
  return (text.split('.')[1] ?? '').length;
}
