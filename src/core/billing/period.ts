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
