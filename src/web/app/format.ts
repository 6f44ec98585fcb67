/** How numbers, money and dates read on screen, in the browser's locale and the partner's currency. */

const moneyIn = (currency: string) =>
  new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
let currencyCode = 'USD';
let money = moneyIn(currencyCode);
const quantity = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });

/** The partner's currency (ISO 4217, from the billing view); every amount shown from then on carries it. */
export function setCurrency(code: string): void {
  if (code === currencyCode) return;
  currencyCode = code;
  money = moneyIn(code);
}

export const formatMoney = (amount: number): string => money.format(amount);

/** A change with its sign, so "+120.00" and "−40.00" read as gains and losses at a glance. */
export const formatSignedMoney = (amount: number): string =>
  amount > 0 ? `+${money.format(amount)}` : amount < 0 ? `−${money.format(-amount)}` : money.format(0);

export const formatQuantity = (n: number): string => quantity.format(n);

export const formatSignedQuantity = (n: number): string =>
  n > 0 ? `+${quantity.format(n)}` : n < 0 ? `−${quantity.format(-n)}` : '0';

/** "March 2026" for "2026-03". */
export function formatPeriod(period: string): string {
  const [year, month] = period.split('-').map(Number);
  if (!year || !month) return period;
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString(undefined, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The default effective date of an action: the first day of the month after the period. */
export function firstOfNextMonth(period: string): string {
  const [year, month] = period.split('-').map(Number);
  if (!year || !month) return '';
  const next = new Date(Date.UTC(year, month, 1));
  return next.toISOString().slice(0, 10);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** "5 minutes ago"; the exact time goes in a tooltip beside it. */
export function formatAgo(iso: string, nowMs: number = Date.now()): string {
  let value = (Date.parse(iso) - nowMs) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return iso;
}

export const formatDateTime = (iso: string): string => new Date(iso).toLocaleString();
