import type { HttpDeps } from '../../deps.js';
import type { TypedApp } from '../../typed-app.js';
import { accountsRoutes } from './accounts.js';
import { alertsRoutes } from './alerts.js';
import { bulkCountRoutes } from './bulk-counts.js';
import { countRoutes } from './counts.js';
import { orgServicesRoutes } from './org-services.js';
import { organizationRoutes } from './organization.js';
import { installSandboxHooks } from './sandbox-hooks.js';
import { sandboxRoutes } from './sandbox.js';
import { serviceRoutes } from './services.js';
import { vendorRoutes } from './vendor.js';
import { vendorWebhookRoutes } from './webhooks.js';

/** Every route of the Synthesize-compatible vendor API, under /api/vendor-api. */
export function vendorApiRoutes(app: TypedApp, deps: HttpDeps): void {
  // Before any route is added, so the sandbox hooks reach every route.
  installSandboxHooks(app, deps);
  vendorRoutes(app, deps);
  serviceRoutes(app, deps);
  countRoutes(app, deps);
  bulkCountRoutes(app, deps);
  organizationRoutes(app, deps);
  accountsRoutes(app, deps);
  orgServicesRoutes(app, deps);
  alertsRoutes(app, deps);
  sandboxRoutes(app, deps);
  vendorWebhookRoutes(app, deps);
}
