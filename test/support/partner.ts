import assert from 'node:assert/strict';
import type { CoreContext } from '../../src/core/context.js';
import { addPartnerUser } from '../../src/core/users/add-partner-user.js';
import { call } from './harness.js';

/** A password long enough for the rules; tests share it. */
export const PASSWORD = 'correct horse battery';

/** A partner user made through the core, as `tally partner user add` would. */
export async function addUser(server: { ctx: CoreContext }, partnerId: string, email: string) {
  return (await addPartnerUser(server.ctx, { partnerId, email, password: PASSWORD })).user;
}

/** Signs in through the API and returns the `tally_session=…` pair to send as a Cookie header. */
export async function signIn(baseUrl: string, email: string, password = PASSWORD): Promise<string> {
  const response = await call(baseUrl, 'POST', '/api/partner/session', { body: { email, password } });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const setCookie = response.headers.get('set-cookie') ?? '';
  const pair = /^(tally_session=[^;]+)/.exec(setCookie)?.[1];
  assert.ok(pair, `sign-in set no session cookie: ${setCookie}`);
  return pair;
}

export const UNAUTHORIZED = { statusCode: 401, message: 'Unauthorized', error: 'Unauthorized' };
