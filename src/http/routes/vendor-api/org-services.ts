import { createOrgServices } from '../../../core/accounts/create-items.js';
import type { HttpDeps } from '../../deps.js';
import type { TypedApp } from '../../typed-app.js';
import { registerItemRoutes } from './items.js';

/** Routes 14–17: services visible to this one partner, with ids the vendor chooses. */
export function orgServicesRoutes(app: TypedApp, deps: HttpDeps): void {
  registerItemRoutes(app, deps, {
    kind: 'service',
    path: 'services',
    tags: ['Organization services'],
    idParam: 'serviceId',
    // accountIds is accepted as well: the accounts route names its filter that way, and a client
    // written against one of the two routes tends to reuse the name on the other. Both filter by id.
    idFilters: ['serviceIds', 'accountIds'],
    summaries: {
      list: 'Get Organization Services',
      create: 'Create Organization Services',
      updateOne: 'Update Organization Service',
      updateMany: 'Update Organization Services',
    },
    operationIds: {
      list: 'listOrganizationServices',
      create: 'createOrganizationServices',
      updateOne: 'updateOrganizationService',
      updateMany: 'updateOrganizationServices',
    },
    createDescription:
      'An array of { id, name, description?, isArrears? } or one such object. An id that already exists ' +
      'fails the whole request with 409 and nothing is written.',
    create: createOrgServices,
  });
}
