/**
 * Money arithmetic of the billing view, exact in integer micros (millionths of the currency unit).
 * Quantities are decimals; they are taken to 6 decimals, which is finer than any unit anyone bills.
 */

const MILLION = 1_000_000n;

/**
 * quantity × an amount in micros, in micros, rounded half away from zero. Quantities are bounded
 * (MAX_QUANTITY) at every door, so this is a plain number far from overflow; a quantity stored
 * before those bounds that cannot be priced (not finite) is worth 0 rather than failing the board.
 */
export function timesMicros(quantity: number, unitMicros: number): number {
  // Rounding to millionths first undoes float noise such as 0.3 - 0.1 = 0.19999999999999998.
  const scaled = Math.round(quantity * 1_000_000);
  if (!Number.isFinite(scaled) || !Number.isFinite(unitMicros)) return 0;
  const product = BigInt(scaled) * BigInt(Math.round(unitMicros));
  const magnitude = (product < 0n ? -product : product) + MILLION / 2n;
  const rounded = magnitude / MILLION;
  return Number(product < 0n ? -rounded : rounded);
}

/** What a difference in quantity is worth per month, and what it adds to (or takes from) margin. */
export function cardMoney(
  difference: number,
  unitPriceMicros: number,
  unitCostMicros: number,
): { monthlyEffectMicros: number; marginEffectMicros: number } {
  return {
    monthlyEffectMicros: timesMicros(difference, unitPriceMicros),
    marginEffectMicros: timesMicros(difference, unitPriceMicros - unitCostMicros),
  };
}

/**
 * An amount in micros as an exact decimal string, e.g. 12500000 → "12.50", 1 → "0.000001". The digits
 * come from an integer, so even a huge amount prints in full, never with an exponent.
 */
export function decimalText(micros: number): string {
  if (!Number.isFinite(micros)) return '';
  const whole64 = BigInt(Math.round(micros));
  const sign = whole64 < 0n ? '-' : '';
  const digits = (whole64 < 0n ? -whole64 : whole64).toString().padStart(7, '0');
  const whole = digits.slice(0, -6);
  // At least cents, as money is usually written; more digits only when they carry something.
  const fraction = digits.slice(-6).replace(/0+$/, '').padEnd(2, '0');
  return `${sign}${whole}.${fraction}`;
}

/**
 * A quantity as plain decimal text for files: at most 6 decimals and never an exponent (String(1e21)
 * would read "1e+21"); '' for a value that is not a number at all.
 */
export function quantityText(quantity: number): string {
  if (!Number.isFinite(quantity)) return '';
  const scaled = Math.round(quantity * 1_000_000);
  // Far beyond any legal quantity the millionths overflow; the whole part is all there is then.
  if (!Number.isFinite(scaled)) return BigInt(Math.round(quantity)).toString();
  const micros = BigInt(scaled);
  const sign = micros < 0n ? '-' : '';
  const digits = (micros < 0n ? -micros : micros).toString().padStart(7, '0');
  const fraction = digits.slice(-6).replace(/0+$/, '');
  return `${sign}${digits.slice(0, -6)}${fraction ? `.${fraction}` : ''}`;
}
