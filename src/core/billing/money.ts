/**
 * Money arithmetic of the billing view, exact in integer micros (millionths of the currency unit).
 * Quantities are decimals; they are taken to 6 decimals, which is finer than any unit anyone bills.
 */

const MILLION = 1_000_000n;

/** quantity × an amount in micros, in micros, rounded half away from zero. */
export function timesMicros(quantity: number, unitMicros: number): number {
  // Rounding to millionths first undoes float noise such as 0.3 - 0.1 = 0.19999999999999998.
  const product = BigInt(Math.round(quantity * 1_000_000)) * BigInt(unitMicros);
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

/** An amount in micros as an exact decimal string, e.g. 12500000 → "12.50", 1 → "0.000001". */
export function decimalText(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const digits = String(Math.abs(micros)).padStart(7, '0');
  const whole = digits.slice(0, -6);
  // At least cents, as money is usually written; more digits only when they carry something.
  const fraction = digits.slice(-6).replace(/0+$/, '').padEnd(2, '0');
  return `${sign}${whole}.${fraction}`;
}
