import assert from 'node:assert/strict';
import { call, type JsonResponse } from './harness.js';

export const ADMIN_TOKEN = 'sandbox-admin-token-0123456789';

/** A sandbox as the admin API answers it. */
export interface SandboxKeys {
  vendorId: string;
  vendorKey: string;
  partnerId: string;
  partnerToken: string;
  integrationId: string;
  partnerKey: string;
  gradientToken: string;
}

/** A vendor client of one sandbox over real HTTP. */
export class SandboxClient {
  constructor(
    readonly baseUrl: string,
    readonly keys: SandboxKeys,
  ) {}

  /** Registers a sandbox vendor through the admin API, as an operator would. */
  static async create(baseUrl: string, name: string): Promise<SandboxClient> {
    const made = await call(baseUrl, 'POST', '/api/admin/vendors', {
      bearer: ADMIN_TOKEN,
      body: { name, sandbox: true },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    return new SandboxClient(baseUrl, made.body as SandboxKeys);
  }

  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<JsonResponse> {
    return call(this.baseUrl, method, path, { token: this.keys.gradientToken, body, headers });
  }

  /** Creates a SKU and answers its id. */
  async service(name: string): Promise<string> {
    const r = await this.request('POST', '/api/vendor-api/service', {
      name,
      description: `${name} per device`,
      category: 'backup',
      subcategory: 'cloud backup',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const sku = (r.body.skus as { id: string; name: string }[]).find((s) => s.name === name);
    assert.ok(sku);
    return sku.id;
  }

  async accounts(...accounts: { id: string; name: string }[]): Promise<void> {
    const r = await this.request('POST', '/api/vendor-api/organization/accounts', accounts);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }

  count(serviceId: string, accountId: string, unitCount: number, headers?: Record<string, string>) {
    return this.request(
      'POST',
      `/api/vendor-api/service/${serviceId}/count`,
      { accountId, unitCount },
      headers,
    );
  }

  async advance(move: { seconds: number } | { to: string }): Promise<JsonResponse> {
    const r = await this.request('POST', '/api/vendor-api/sandbox/clock/advance', move);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r;
  }

  async billingState(): Promise<{
    state: string;
    builds: number;
    dueAt: string | null;
    lastBuiltAt: string | null;
  }> {
    const r = await this.request('GET', '/api/vendor-api/organization');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.billing;
  }
}
