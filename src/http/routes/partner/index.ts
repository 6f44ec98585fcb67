import type { HttpDeps } from '../../deps.js';
import type { TypedApp } from '../../typed-app.js';
import { partnerBillingRoutes } from './billing.js';
import { partnerConnectionRoutes } from './connections.js';
import { partnerEventsRoutes } from './events.js';
import { partnerHistoryRoutes } from './history.js';
import { partnerIntegrationsRoutes } from './integrations.js';
import { partnerPsaRoutes } from './psa.js';
import { partnerSessionProbeRoutes } from './session-probe.js';
import { partnerPsaConnectionRoutes } from './psa-connection.js';
import { partnerPsaRemapRoutes } from './psa-remap.js';
import { partnerSessionRoutes } from './session.js';
import { partnerSettingsRoutes } from './settings.js';
import { partnerSuggestionRoutes } from './suggestions.js';
import { partnerWebhookRoutes } from './webhooks.js';

/** The partner (MSP) API under /api/partner: a partner bearer token, or a signed-in user's session. */
export function partnerApiRoutes(app: TypedApp, deps: HttpDeps): void {
  partnerSessionRoutes(app, deps);
  partnerSessionProbeRoutes(app, deps);
  partnerPsaRoutes(app, deps);
  partnerPsaConnectionRoutes(app, deps);
  partnerPsaRemapRoutes(app, deps);
  partnerIntegrationsRoutes(app, deps);
  partnerConnectionRoutes(app, deps);
  partnerSuggestionRoutes(app, deps);
  partnerBillingRoutes(app, deps);
  partnerHistoryRoutes(app, deps);
  partnerEventsRoutes(app, deps);
  partnerSettingsRoutes(app, deps);
  partnerWebhookRoutes(app, deps);
}
