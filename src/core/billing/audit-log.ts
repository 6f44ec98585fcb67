import type { CoreContext } from '../context.js';
import type { AuditEntry } from '../model.js';

export interface NamedAuditEntry extends AuditEntry {
  /** Null when the company or product was deleted since. */
  companyName: string | null;
  productName: string | null;
}

/** The partner's latest card decisions, newest first, with the names of what they were about. */
export async function auditLog(
  ctx: CoreContext,
  partnerId: string,
  limit: number,
): Promise<NamedAuditEntry[]> {
  const [entries, companies, products] = await Promise.all([
    ctx.store.listAuditEntries(partnerId, limit),
    ctx.store.listCompanies(partnerId, {}),
    ctx.store.listProducts(partnerId),
  ]);
  const companyName = new Map(companies.rows.map((c) => [c.id, c.name]));
  const productName = new Map(products.map((p) => [p.id, p.name]));
  return entries.map((e) => ({
    ...e,
    companyName: companyName.get(e.companyId) ?? null,
    productName: productName.get(e.productId) ?? null,
  }));
}
