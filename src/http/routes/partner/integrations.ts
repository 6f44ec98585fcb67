import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { billingStatus } from '../../../core/builds/debounce.js';
import { isoTime } from '../../../core/clock.js';
import { isStale } from '../../../core/mappings/apply-waiting.js';
import { listAccountMappings } from '../../../core/mappings/list-accounts.js';
import { type MappableService, listServiceMappings } from '../../../core/mappings/list-services.js';
import type { MappableRow } from '../../../core/mappings/waiting-first.js';
import type { Account, WaitingCount } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { presentBilling } from '../vendor-api/present.js';
import { partnerMappingRoutes, presentMapping } from './mappings.js';
import { partnerWaitingRoutes } from './waiting.js';

const IntegrationParams = Type.Object({ integrationId: Type.String({ maxLength: 64 }) });

const presentWaiting = (nowMs: number) => (w: WaitingCount) => ({
  accountId: w.accountId,
  serviceId: w.serviceId,
  unitCount: w.unitCount,
  reason: w.reason,
  attempts: w.attempts,
  lastAttemptAt: isoTime(w.lastAttemptAtMs),
  // Sent before the current period: mapping the pair offers it instead of applying it.
  olderThanPeriod: isStale(w, nowMs),
});

const presentAccount = (nowMs: number) => (row: MappableRow<Account>) => ({
  id: row.item.id,
  name: row.item.name,
  description: row.item.description,
  isActive: row.item.isActive,
  mapping: presentMapping('account', row.mapping),
  waiting: row.waiting.map(presentWaiting(nowMs)),
});

const presentService = (nowMs: number) => (row: MappableRow<MappableService>) => ({
  id: row.item.service.id,
  name: row.item.service.name,
  description: row.item.service.description,
  source: row.item.source,
  // Vendor SKUs cannot be switched off; organization services can.
  isActive: row.item.source === 'vendor' ? true : row.item.service.isActive,
  mapping: presentMapping('service', row.mapping),
  waiting: row.waiting.map(presentWaiting(nowMs)),
});

/** The partner's vendor integrations, and the accounts and services it maps to its PSA. */
export function partnerIntegrationsRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const onRequest = partnerAuth(deps);
  const tags = ['Partner: integrations'];
  const security = PARTNER_SECURITY;

  app.get(
    '/api/partner/integrations',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: 'List connected vendors',
        description: 'Disconnected ones too, with disconnectedAt set, so they can be connected again.',
      },
    },
    async (request) => {
      const integrations = await deps.ctx.store.listIntegrationsOfPartner(partnerOf(request).id);
      const nowMs = deps.ctx.clock.nowMs();
      return Promise.all(
        integrations.map(async (i) => {
          const vendor = await deps.ctx.store.getVendor(i.vendorId);
          const state = await deps.ctx.store.getBuildState(i.id);
          if (!vendor || !state) throw new Error(`Integration ${i.id} lacks its vendor or build state`);
          return {
            id: i.id,
            vendorId: vendor.id,
            vendorName: vendor.name,
            status: i.status,
            lastSyncedAt: i.lastSyncedAtMs === null ? null : isoTime(i.lastSyncedAtMs),
            disconnectedAt: i.disconnectedAtMs === null ? null : isoTime(i.disconnectedAtMs),
            pausedAt: i.pausedAtMs === null ? null : isoTime(i.pausedAtMs),
            createdAt: isoTime(i.createdAtMs),
            billing: presentBilling(billingStatus(state, nowMs)),
          };
        }),
      );
    },
  );

  app.get(
    '/api/partner/integrations/:integrationId/accounts',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: "List a vendor's accounts with their mappings",
        description: 'Unmapped accounts with refused counts waiting come first.',
        params: IntegrationParams,
      },
    },
    async (request) => {
      const { integrationId } = request.params as { integrationId: string };
      return (await listAccountMappings(deps.ctx, partnerOf(request).id, integrationId)).map(
        presentAccount(deps.ctx.clock.nowMs()),
      );
    },
  );

  app.get(
    '/api/partner/integrations/:integrationId/services',
    {
      onRequest,
      schema: {
        tags,
        security,
        summary: "List a vendor's services with their mappings",
        description:
          "The vendor's SKUs and the integration's organization services. Unmapped services with refused " +
          'counts waiting come first.',
        params: IntegrationParams,
      },
    },
    async (request) => {
      const { integrationId } = request.params as { integrationId: string };
      return (await listServiceMappings(deps.ctx, partnerOf(request).id, integrationId)).map(
        presentService(deps.ctx.clock.nowMs()),
      );
    },
  );

  partnerMappingRoutes(app, deps);
  partnerWaitingRoutes(app, deps);
}
