import { createAccounts } from '../../../core/accounts/create-items.js';
import type { HttpDeps } from '../../deps.js';
import type { TypedApp } from '../../typed-app.js';
import { registerItemRoutes } from './items.js';

/** Routes 10–13: the vendor's accounts (the partner's customers) in this integration. */
export function accountsRoutes(app: TypedApp, deps: HttpDeps): void {
  registerItemRoutes(app, deps, {
    kind: 'account',
    path: 'accounts',
    tags: ['Accounts'],
    idParam: 'accountId',
    idFilters: ['accountIds'],
    summaries: {
      list: 'Get Accounts',
      create: 'Create Accounts',
      updateOne: 'Update Account',
      updateMany: 'Update Accounts',
    },
    operationIds: {
      list: 'listAccounts',
      create: 'createAccounts',
      updateOne: 'updateAccount',
      updateMany: 'updateAccounts',
    },
    createDescription:
      'An array of { id, name, description?, isArrears? } or one such object. Idempotent: an id that ' +
      'exists is updated with the fields sent, so re-posting every account on each sync is safe.',
    create: createAccounts,
  });
}
