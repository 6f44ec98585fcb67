import type { CoreContext } from '../context.js';
import type { Company } from '../model.js';
import { requireFreeCompanyName, requireName } from './names.js';

/** Adds a company (a customer of the MSP) to the partner's PSA ledger; names are unique per partner. */
export async function createCompany(
  ctx: CoreContext,
  partnerId: string,
  input: { name: string },
): Promise<Company> {
  const name = requireName(input.name);
  const company: Company = { id: ctx.ids.objectId(), partnerId, name, createdAtMs: ctx.clock.nowMs() };
  await ctx.store.transaction(async (tx) => {
    await requireFreeCompanyName(tx, partnerId, name);
    await tx.insertCompany(company);
  });
  return company;
}
