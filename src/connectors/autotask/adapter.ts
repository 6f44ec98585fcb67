import {
  AUTOTASK_DEFAULT_MAX_IN_FLIGHT,
  AUTOTASK_DEFAULT_REQUESTS_PER_HOUR,
  AUTOTASK_HOURLY_LIMIT,
  AUTOTASK_THREAD_LIMIT,
  AUTOTASK_ZONE_SITE,
} from '../../core/psa-connector/connection-input.js';
import type { AdapterOptions, PsaAdapter } from '../adapter.js';
import { AutotaskBudget, type BudgetTuning } from './budget.js';
import { autotaskConnector } from './connector.js';
import { KeyedLock } from '../http/keyed-lock.js';

/** What every connector of one Autotask connection shares in this process. */
interface Shared {
  budget: AutotaskBudget;
  locks: KeyedLock;
  /** The zone last found; newer than the stored one when the database moved since it was stored. */
  zoneUrl: string | null;
}

const whole = (value: string | number | undefined, min: number, max: number, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
};

/**
 * Datto Autotask. The adapter lives once per process, so the request budget (and the zone, and the
 * order of changes to one contract service) of a connection — keyed by its zone lookup site and API
 * user — is shared by the sync runner, the write worker and the screens. The zone found on first
 * contact is kept with the connection (settings.zoneUrl).
 */
export function autotaskAdapter(
  options: AdapterOptions,
  /** Test and benchmark seam: how the budget judges latency and how often it probes Autotask. */
  tuning: Partial<BudgetTuning> = {},
): PsaAdapter<'autotask'> {
  const shared = new Map<string, Shared>();

  const sharedOf = (
    site: string,
    username: string,
    settings: { requestsPerHour?: unknown; maxInFlight?: unknown },
  ) => {
    const requestsPerHour = whole(
      settings.requestsPerHour as string | undefined,
      1,
      AUTOTASK_HOURLY_LIMIT,
      AUTOTASK_DEFAULT_REQUESTS_PER_HOUR,
    );
    const maxInFlight = whole(
      settings.maxInFlight as string | undefined,
      1,
      AUTOTASK_THREAD_LIMIT,
      AUTOTASK_DEFAULT_MAX_IN_FLIGHT,
    );
    const key = `${site}\n${username.toLowerCase()}`;
    let found = shared.get(key);
    if (found === undefined) {
      found = {
        budget: new AutotaskBudget({
          requestsPerHour,
          maxInFlight,
          nowMs: options.nowMs,
          sleep: options.sleep,
          ...tuning,
        }),
        locks: new KeyedLock(),
        zoneUrl: null,
      };
      shared.set(key, found);
    } else {
      found.budget.configure(requestsPerHour, maxInFlight);
    }
    return found;
  };

  const connectorOf = (
    site: string,
    username: string,
    secrets: { secret: string; integrationCode: string },
    place: Shared,
    zoneUrl: string | undefined,
  ) =>
    autotaskConnector({
      site,
      username,
      ...secrets,
      zoneUrl,
      budget: place.budget,
      locks: place.locks,
      onZone: (url) => (place.zoneUrl = url),
      sleep: options.sleep,
      nowMs: options.nowMs,
    });

  return {
    writeStyle: 'relative',
    fromInput(input) {
      const site = input.site ?? AUTOTASK_ZONE_SITE;
      const place = sharedOf(site, input.username, input);
      // Fresh credentials look their zone up: they may belong to another database than before.
      const connector = connectorOf(
        site,
        input.username,
        { secret: input.secret, integrationCode: input.integrationCode },
        place,
        undefined,
      );
      const discovered = (): Record<string, string> => {
        const zoneUrl = connector.client.zoneUrl;
        return zoneUrl === null ? {} : { zoneUrl };
      };
      return { ...connector, discovered };
    },

    fromConnection(connection, secrets) {
      const place = sharedOf(connection.site, connection.account, connection.settings);
      return connectorOf(
        connection.site,
        connection.account,
        { secret: secrets.secret ?? '', integrationCode: secrets.integrationCode ?? '' },
        place,
        place.zoneUrl ?? connection.settings.zoneUrl,
      );
    },

    budget(connection) {
      return sharedOf(connection.site, connection.account, connection.settings).budget.report();
    },
  };
}
