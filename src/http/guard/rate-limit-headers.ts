import type { FastifyReply } from 'fastify';
import type { RateLimitHeaders } from '../deps.js';

/** Writes the standard RateLimit-Limit, -Remaining and -Reset headers. */
export function setRateLimitHeaders(reply: FastifyReply, limits: RateLimitHeaders): void {
  reply.header('ratelimit-limit', String(limits.limit));
  reply.header('ratelimit-remaining', String(limits.remaining));
  reply.header('ratelimit-reset', String(limits.resetSeconds));
}
