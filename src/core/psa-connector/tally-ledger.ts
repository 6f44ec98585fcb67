import type { CoreContext } from '../context.js';
import { notFound } from '../errors.js';
import type { AgreementLine } from '../model.js';
import type { LineAddress, LinePlace, PsaConnector, RemoteLine } from './port.js';

const asRemote = (line: AgreementLine): RemoteLine => ({
  externalId: line.id,
  agreementExternalId: line.agreementId,
  productExternalId: line.productId,
  productCode: null,
  quantity: line.quantity,
  active: line.active,
});

/**
 * The built-in "Tally ledger": the partner's own agreements and lines, kept by hand and by CSV. Its
 * ids are the ledger's ids, it has nothing to sync, and its writes are local, so card decisions on
 * it change the ledger in their own transaction instead of going through the write outbox.
 */
export function tallyLedger(ctx: CoreContext, partnerId: string): PsaConnector {
  const line = async (address: LineAddress) => {
    const found = await ctx.store.getAgreementLine(partnerId, address.lineExternalId);
    return found && found.agreementId === address.agreementExternalId && !found.psa ? found : undefined;
  };
  return {
    kind: 'tally',
    writeStyle: 'local',
    async test() {
      const partner = await ctx.store.getPartner(partnerId);
      if (!partner) throw notFound(`No partner found with id: ${partnerId}`);
      return { accountName: partner.name };
    },
    async *read() {
      // The ledger is the store itself: there is nothing to bring in.
    },
    async readLine(address) {
      const found = await line(address);
      return found ? asRemote(found) : null;
    },
    async findLines(place: LinePlace) {
      const lines = await ctx.store.listAgreementLines(partnerId, {
        agreementId: place.agreementExternalId,
        productId: place.productExternalId,
        activeOnly: true,
      });
      return lines.filter((l) => !l.psa).map(asRemote);
    },
    async setQuantity(address, quantity) {
      const found = await line(address);
      if (!found) throw notFound(`No agreement line found with id: ${address.lineExternalId}`);
      const updated = { ...found, quantity, updatedAtMs: ctx.clock.nowMs() };
      await ctx.store.updateAgreementLine(updated);
      return asRemote(updated);
    },
    async addLine(place, quantity) {
      const agreement = await ctx.store.getAgreement(partnerId, place.agreementExternalId);
      if (!agreement) throw notFound(`No agreement found with id: ${place.agreementExternalId}`);
      const nowMs = ctx.clock.nowMs();
      const created: AgreementLine = {
        id: ctx.ids.objectId(),
        partnerId,
        agreementId: agreement.id,
        companyId: agreement.companyId,
        productId: place.productExternalId,
        quantity,
        active: true,
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
      };
      await ctx.store.insertAgreementLine(created);
      return asRemote(created);
    },
  };
}
