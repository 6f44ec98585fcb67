import { badRequest } from '../errors.js';

/** A billing period is a calendar month, written YYYY-MM, in UTC. */
export type Period = string;

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const periodOf = (ms: number): Period => new Date(ms).toISOString().slice(0, 7);

/** Parses a YYYY-MM period, defaulting to the month of `nowMs`. */
export function parsePeriod(value: string | undefined, nowMs: number): Period {
  if (value === undefined || value === '') return periodOf(nowMs);
  if (!PERIOD.test(value)) throw badRequest(`period must look like YYYY-MM; got "${value}"`);
  return value;
}

/** The first instant of the month after the period, e.g. the default effective date of an approval. */
export function nextPeriodStartMs(period: Period): number {
  const match = PERIOD.exec(period);
  if (!match) throw badRequest(`period must look like YYYY-MM; got "${period}"`);
  return Date.UTC(Number(match[1]), Number(match[2]), 1);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** YYYY-MM-DD of an instant, in UTC. */
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The effective date of a reconciliation: YYYY-MM-DD and a real calendar day, defaulting to the
 * first day of the month after the period.
 */
export function parseEffectiveDate(value: string | undefined, period: Period): string {
  if (value === undefined) return isoDate(nextPeriodStartMs(period));
  const match = DATE.exec(value);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(ms) || isoDate(ms) !== value) {
    throw badRequest(`effectiveDate must be a date written YYYY-MM-DD; got "${value}"`);
  }
  return value;
}
