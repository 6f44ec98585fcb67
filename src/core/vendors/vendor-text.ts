import { badRequest } from '../errors.js';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from '../limits/input-limits.js';

/** A vendor's name and description are capped like every other name and description. */
export function requireVendorText(input: { name?: string; description?: string }): void {
  if (input.name !== undefined && input.name.length > MAX_NAME_LENGTH) {
    throw badRequest(`name must be at most ${MAX_NAME_LENGTH} characters`);
  }
  if (input.description !== undefined && input.description.length > MAX_DESCRIPTION_LENGTH) {
    throw badRequest(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
}
