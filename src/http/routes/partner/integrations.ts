import { Type } from '@sinclair/typebox';
import { listPartnerIntegrations } from '../../../core/integrations/list-partner-integrations.js';
import { isoTime } from '../../../core/clock.js';
import { listAccountMappings } from '../../../core/mappings/list-accounts.js';
import { type MappableService, listServiceMappings } from '../../../core/mappings/list-services.js';
import type { MappableRow } from '../../../core/mappings/waiting-first.js';
import type { Account, WaitingCount } from '../../../core/model.js';
import type { HttpDeps } from '../../deps.js';
import { described, errors } from '../../schemas/common.js';
import {
  IntegrationRow,
  MappableAccount,
  MappableService as MappableServiceRow,
} from '../../schemas/partner.js';
import type { TypedApp } from '../../typed-app.js';
import { PARTNER_SECURITY, partnerAuth, partnerOf } from '../../partner-auth.js';
import { presentBilling } from '../vendor-api/present.js';
import { partnerMappingRoutes, presentAccountMapping, presentServiceMapping } from './mappings.js';

const IntegrationParams = Type.Object({ integrationId: Type.String({ maxLength: 64 }) });

const presentWaiting = (w: WaitingCount) => ({
  accountId: w.accountId,
  serviceId: w.serviceId,
  unitCount: w.unitCount,
  reason: w.reason,
  attempts: w.attempts,
  lastAttemptAt: isoTime(w.lastAttemptAtMs),
});

const presentAccount = (row: MappableRow<Account>) => ({
  id: row.item.id,
  name: row.item.name,
  description: row.item.description,
  isActive: row.item.isActive,
  mapping: presentAccountMapping(row.mapping),
  waiting: row.waiting.map(presentWaiting),
});

const presentService = (row: MappableRow<MappableService>) => ({
  id: row.item.service.id,
  name: row.item.service.name,
  description: row.item.service.description,
  source: row.item.source,
  // Vendor SKUs cannot be switched off; organization services can.
  isActive: row.item.source === 'vendor' ? true : row.item.service.isActive,
  mapping: presentServiceMapping(row.mapping),
  waiting: row.waiting.map(presentWaiting),
});

/** The partner's vendor integrations, and the accounts and services it maps to its PSA. */
export function partnerIntegrationsRoutes(app: TypedApp, deps: HttpDeps): void {
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
        operationId: 'listIntegrations',
        summary: 'List connected vendors',
        description: 'Disconnected ones too, with disconnectedAt set, so they can be connected again.',
        response: { 200: described('The integrations', Type.Array(IntegrationRow)), ...errors(401, 403) },
      },
    },
    async (request) => {
      const rows = await listPartnerIntegrations(deps.ctx, partnerOf(request).id);
      return rows.map(({ integration: i, vendor, billing }) => ({
        id: i.id,
        vendorId: vendor.id,
        vendorName: vendor.name,
        status: i.status,
        lastSyncedAt: i.lastSyncedAtMs === null ? null : isoTime(i.lastSyncedAtMs),
        disconnectedAt: i.disconnectedAtMs === null ? null : isoTime(i.disconnectedAtMs),
        pausedAt: i.pausedAtMs === null ? null : isoTime(i.pausedAtMs),
        createdAt: isoTime(i.createdAtMs),
        billing: presentBilling(billing),
      }));
    },
  );

  app.get(
    '/api/partner/integrations/:integrationId/accounts',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listIntegrationAccounts',
        summary: "List a vendor's accounts with their mappings",
        description: 'Unmapped accounts with refused counts waiting come first.',
        params: IntegrationParams,
        response: {
          200: described('The accounts', Type.Array(MappableAccount)),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { integrationId } = request.params;
      return (await listAccountMappings(deps.ctx, partnerOf(request).id, integrationId)).map(presentAccount);
    },
  );

  app.get(
    '/api/partner/integrations/:integrationId/services',
    {
      onRequest,
      schema: {
        tags,
        security,
        operationId: 'listIntegrationServices',
        summary: "List a vendor's services with their mappings",
        description:
          "The vendor's SKUs and the integration's organization services. Unmapped services with refused " +
          'counts waiting come first.',
        params: IntegrationParams,
        response: {
          200: described('The services', Type.Array(MappableServiceRow)),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { integrationId } = request.params;
      return (await listServiceMappings(deps.ctx, partnerOf(request).id, integrationId)).map(presentService);
    },
  );

  partnerMappingRoutes(app, deps);
}
