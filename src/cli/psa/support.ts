import type { Config } from '../../config/config.js';
import { secretKeySource } from '../../config/secret-key.js';
import { psaAdapters } from '../../connectors/index.js';
import { isoTime } from '../../core/clock.js';
import type { PsaDeps } from '../../core/psa-connector/deps.js';
import type { PsaConnection, PsaSync } from '../../core/psa-connector/store.js';
import { note } from '../support/output.js';

/** The PSA adapters as the server builds them, for commands that talk to the PSA themselves. */
export const cliPsaDeps = (config: Config): PsaDeps =>
  psaAdapters({
    secretKey: secretKeySource(config, note),
    allowPrivateNetwork: config.psaAllowPrivateNetwork,
    maxInFlight: config.psaMaxInFlight,
    fullSyncIntervalMs: config.psaFullSyncIntervalMs,
  });

/** A sync as `--json` prints it (the partner API's shape). */
export const syncJson = (sync: PsaSync) => ({
  id: sync.id,
  state: sync.state,
  full: sync.full,
  startedAt: isoTime(sync.startedAtMs),
  finishedAt: sync.finishedAtMs === null ? null : isoTime(sync.finishedAtMs),
  counts: sync.counts,
  error: sync.error,
});

/** A connection as `--json` prints it: never its secrets. */
export const connectionJson = (connection: PsaConnection, lastSync: PsaSync | undefined) => ({
  kind: connection.kind,
  site: connection.site,
  account: connection.account,
  settings: connection.settings,
  lastSync: lastSync ? syncJson(lastSync) : null,
});

/** "1200 companies, 40 products, 300 agreements, 2000 lines". */
export const countsText = (sync: PsaSync): string =>
  `${sync.counts.companies} companies, ${sync.counts.products} products, ` +
  `${sync.counts.agreements} agreements, ${sync.counts.lines} lines`;
