import type { BuildEvent } from '../ports.js';

const isWholeNumber = (value: unknown): value is number => Number.isSafeInteger(value);

/**
 * Reads a build event that arrived from another process, or undefined when the value is not one.
 * Such events cross a shared channel that anything with database access can write to, so each
 * member is checked before a partner's event stream repeats it.
 */
export function parseBuildEvent(value: unknown): BuildEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { integrationId, partnerId, builtRevision, builtAtMs } = value as Record<string, unknown>;
  if (typeof integrationId !== 'string' || typeof partnerId !== 'string') return undefined;
  if (!isWholeNumber(builtRevision) || !isWholeNumber(builtAtMs)) return undefined;
  return { integrationId, partnerId, builtRevision, builtAtMs };
}
