import type { Clock } from './clock.js';
import type { IdGenerator } from './ids.js';
import type { EventBus, Store } from './ports.js';

/** What every domain verb may use; built once by the composition root. */
export interface CoreContext {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  events: EventBus;
}
