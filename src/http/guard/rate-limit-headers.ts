import type { FastifyReply } from 'fastify';
import type { RateLimitHeaders } from '../deps.js';

/** Whether a TallyError detail carries rate-limit values (a 429 does, so it can repeat the headers). */
export const isRateLimitHeaders = (value: unknown): value is RateLimitHeaders => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.limit === 'number' && typeof v.remaining === 'number' && typeof v.resetSeconds === 'number';
};

/** Writes the standard RateLimit-Limit, -Remaining and -Reset headers. */
export function setRateLimitHeaders(reply: FastifyReply, limits: RateLimitHeaders): void {
  reply.header('ratelimit-limit', String(limits.limit));
  reply.header('ratelimit-remaining', String(limits.remaining));
  reply.header('ratelimit-reset', String(limits.resetSeconds));
}
