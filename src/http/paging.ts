import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../core/errors.js';
import { MAX_PAGE_SIZE } from '../core/limits/input-limits.js';

/**
 * Paging of list routes. A list answers at most `limit` rows (at most a documented maximum, which
 * is also the default) as the same bare array as before, so existing clients keep working; when
 * more may follow, the `X-Next-Cursor` header (and a `Link: <…>; rel="next"`) carries the cursor to
 * pass back as `after`. Cursors are opaque.
 */
export const pageQuery = (maxPageSize = MAX_PAGE_SIZE) => ({
  limit: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,9}$',
      description: `Rows per page, 1–${maxPageSize} (default ${maxPageSize})`,
    }),
  ),
  after: Type.Optional(
    Type.String({ maxLength: 512, description: 'The X-Next-Cursor of the previous page' }),
  ),
});

export interface PageRequest {
  limit: number;
  after: string | undefined;
}

/** The limit and cursor a request asks for; 400 for a limit out of range. */
export function pageRequest(query: unknown, maxPageSize = MAX_PAGE_SIZE): PageRequest {
  const { limit, after } = (query ?? {}) as { limit?: string; after?: string };
  const size = limit === undefined ? maxPageSize : Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
    throw badRequest(`limit must be between 1 and ${maxPageSize}`);
  }
  return { limit: size, after: after === undefined || after === '' ? undefined : after };
}

/** Tells the client where the next page starts. */
export function setNextCursor(request: FastifyRequest, reply: FastifyReply, next: string | null): void {
  if (next === null) return;
  const url = new URL(request.url, 'http://x');
  url.searchParams.set('after', next);
  reply.header('x-next-cursor', next);
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
}

const offsetCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');
const readOffset = (cursor: string): number => {
  const match = /^o:(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badRequest('after is not a cursor this list gave');
  return Number(match[1]);
};

/** Where a page of an offset-paged list starts and how long it is, from `limit` and `after`. */
export function offsetPage(
  request: FastifyRequest,
  maxPageSize = MAX_PAGE_SIZE,
): { offset: number; limit: number } {
  const page = pageRequest(request.query, maxPageSize);
  return { offset: page.after === undefined ? 0 : readOffset(page.after), limit: page.limit };
}

/** Tells the client where the next page of an offset-paged list starts (null: none). */
export const setNextOffset = (request: FastifyRequest, reply: FastifyReply, next: number | null): void =>
  setNextCursor(request, reply, next === null ? null : offsetCursor(next));

/** One page of a list already in its order, with the cursor of the next. */
export function pageOfList<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  rows: T[],
  maxPageSize = MAX_PAGE_SIZE,
): T[] {
  const { offset, limit } = offsetPage(request, maxPageSize);
  const end = offset + limit;
  setNextOffset(request, reply, end < rows.length ? end : null);
  return rows.slice(offset, end);
}
