import type { Repo } from '../../core/ports.js';
import type { Db } from '../schema.js';
import { agreementRepo } from './agreements.js';
import { alertRepo } from './alerts.js';
import { countRepo } from './counts.js';
import { decisionLogRepo } from './decision-log.js';
import { decisionRepo } from './decisions.js';
import { idempotencyRepo } from './idempotency.js';
import { importStageRepo } from './import-stage.js';
import { integrationRepo } from './integrations.js';
import { partnerSettingsRepo } from './partner-settings.js';
import { partnerRepo } from './partners.js';
import { psaRepo } from './psa.js';
import { psaConnectorRepo } from './psa-connector.js';
import { sandboxRepo } from './sandbox.js';
import { userRepo } from './users.js';
import { vendorRepo } from './vendors.js';
import { webhookRepo } from './webhooks.js';

/**
 * The whole repository over one Kysely handle (the database, or an open transaction): one file per
 * area. Built with Object.assign: a spread of these objects re-copies every property on each
 * transaction, which measured several times slower.
 */
export const createRepo = (db: Db, dialect: 'sqlite' | 'postgres'): Repo =>
  Object.assign(
    {},
    vendorRepo(db),
    partnerRepo(db),
    integrationRepo(db),
    psaRepo(db, dialect),
    countRepo(db, dialect),
    idempotencyRepo(db),
    alertRepo(db),
    agreementRepo(db),
    userRepo(db),
    decisionRepo(db),
    sandboxRepo(db),
    decisionLogRepo(db),
    partnerSettingsRepo(db),
    psaConnectorRepo(db),
    webhookRepo(db, dialect),
    importStageRepo(db),
  );
