import { badRequest } from '../errors.js';

/** Money is stored in millionths of the currency unit. */
const MICROS_PER_UNIT = 1_000_000;
const DECIMALS = 6;

/**
 * Converts an amount (a JSON number or a decimal string such as "12.50") to integer micros without
 * going through floating-point arithmetic: the digits are read as written, so 0.1 becomes exactly
 * 100000. Negative amounts, more than 6 decimals and amounts too large to keep exactly are refused.
 */
export function toMicros(amount: number | string, field: string): number {
  const text = typeof amount === 'number' ? numberText(amount, field) : amount.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    throw badRequest(
      text.startsWith('-')
        ? `${field} must not be negative`
        : `${field} must be a decimal amount such as 12.50`,
    );
  }
  const whole = match[1] as string;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > DECIMALS) throw badRequest(`${field} must have at most ${DECIMALS} decimals`);
  const micros = BigInt(whole) * BigInt(MICROS_PER_UNIT) + BigInt(fraction.padEnd(DECIMALS, '0'));
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) throw badRequest(`${field} is too large`);
  return Number(micros);
}

/** The amount a number of micros stands for, as the JSON number closest to it. */
export const fromMicros = (micros: number): number => micros / MICROS_PER_UNIT;

/** A JSON number's decimal digits as written; only tiny and huge numbers print with an exponent. */
function numberText(amount: number, field: string): string {
  if (amount < 0) throw badRequest(`${field} must not be negative`);
  const text = String(amount);
  if (text.includes('e')) {
    throw badRequest(
      amount < 1 ? `${field} must have at most ${DECIMALS} decimals` : `${field} is too large`,
    );
  }
  return text;
}
