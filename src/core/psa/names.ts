import { badRequest, conflict } from '../errors.js';
import type { Repo } from '../ports.js';

/** A trimmed name; blank ones are refused. */
export function requireName(name: string, field = 'name'): string {
  const trimmed = name.trim();
  if (trimmed === '') throw badRequest(`${field} must not be blank`);
  return trimmed;
}

/**
 * Company names are unique per partner, ignoring case: CSV imports and agreement-line rows name
 * companies, so a name must point at exactly one.
 */
export async function requireFreeCompanyName(
  repo: Repo,
  partnerId: string,
  name: string,
  exceptId?: string,
): Promise<void> {
  const existing = await repo.findCompanyByName(partnerId, name);
  if (existing && existing.id !== exceptId) {
    throw conflict(`A company named "${existing.name}" already exists`);
  }
}

/** Product names are unique per partner, ignoring case, for the same reason as company names. */
export async function requireFreeProductName(
  repo: Repo,
  partnerId: string,
  name: string,
  exceptId?: string,
): Promise<void> {
  const existing = await repo.findProductByName(partnerId, name);
  if (existing && existing.id !== exceptId) {
    throw conflict(`A product named "${existing.name}" already exists`);
  }
}

/** "1 line", "3 lines": counts in messages. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
