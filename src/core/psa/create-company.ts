import type { CoreContext } from '../context.js';
import { badRequest } from '../errors.js';
import type { Company } from '../model.js';

/** Adds a company (a customer of the MSP) to the partner's PSA ledger. */
export async function createCompany(
  ctx: CoreContext,
  partnerId: string,
  input: { name: string },
): Promise<Company> {
  const name = input.name.trim();
  if (name === '') throw badRequest('name must not be blank');
  const company: Company = { id: ctx.ids.objectId(), partnerId, name, createdAtMs: ctx.clock.nowMs() };
  await ctx.store.insertCompany(company);
  return company;
}
