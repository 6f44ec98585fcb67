import { loadConfig, type Config } from '../../src/config/config.js';
import { gradientToken } from '../../src/core/auth/keys.js';
import type { Clock } from '../../src/core/clock.js';
import type { CoreContext } from '../../src/core/context.js';
import type { IdGenerator } from '../../src/core/ids.js';
import { connectIntegration } from '../../src/core/integrations/connect.js';
import { createPartner } from '../../src/core/partners/create-partner.js';
import type { Store } from '../../src/core/ports.js';
import { createVendor } from '../../src/core/vendors/create-vendor.js';
import { composeTally, type TallyServer } from '../../src/bin/tally-server.js';
import { holdRepliesToContract } from './reply-contract.js';
import { openTestStore } from './stores.js';

export interface TestServer {
  server: TallyServer;
  baseUrl: string;
  store: Store;
  close(): Promise<void>;
}

/**
 * A real Tally on a real loopback port, with a fresh database (SQLite in memory, or a PostgreSQL
 * schema of its own when TALLY_TEST_STORE=postgres).
 */
export async function startServer(
  options: {
    config?: Partial<Config>;
    clock?: Clock;
    ids?: IdGenerator;
    store?: Store;
    beforeBuild?: (integrationId: string) => Promise<void>;
  } = {},
): Promise<TestServer> {
  const store = options.store ?? (await openTestStore());
  const config = loadConfig({}, { logLevel: 'silent', port: 0, ...options.config });
  const server = await composeTally(config, {
    clock: options.clock,
    ids: options.ids,
    store,
    beforeBuild: options.beforeBuild,
  });
  const violations = holdRepliesToContract(server.app);
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server did not bind a port');
  return {
    server,
    store,
    baseUrl: `http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      if (!options.store) await store.close();
      if (violations.length > 0) {
        const list = violations.map((v) => `${v.route} ${v.status}: ${v.problem}`).join('\n');
        throw new Error(`Replies broke their route's declared contract:\n${list}`);
      }
    },
  };
}

export interface Fixture {
  vendorId: string;
  vendorKey: string;
  partnerId: string;
  partnerToken: string;
  integrationId: string;
  partnerKey: string;
  /** GRADIENT-TOKEN with both halves. */
  token: string;
  /** GRADIENT-TOKEN with the vendor half only. */
  vendorToken: string;
}

/** A vendor, a partner and the integration between them, made through the core as an operator would. */
export async function seedIntegration(
  server: { ctx: CoreContext },
  names = { vendor: 'Acme Backup', partner: 'Blue MSP' },
): Promise<Fixture> {
  const ctx = server.ctx;
  const { vendor, vendorKey } = await createVendor(ctx, { name: names.vendor });
  const { partner, partnerToken } = await createPartner(ctx, { name: names.partner });
  const { integration, partnerKey } = await connectIntegration(ctx, {
    vendorId: vendor.id,
    partnerId: partner.id,
  });
  return {
    vendorId: vendor.id,
    vendorKey,
    partnerId: partner.id,
    partnerToken,
    integrationId: integration.id,
    partnerKey,
    token: gradientToken(vendorKey, partnerKey),
    vendorToken: gradientToken(vendorKey, ''),
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
}

/** One HTTP call with a JSON body; the raw string is sent as is when `raw` is given. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    token?: string;
    bearer?: string;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['GRADIENT-TOKEN'] = options.token;
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON; the test sees the text.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
