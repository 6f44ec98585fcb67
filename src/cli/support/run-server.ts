import type { Config } from '../../config/config.js';
import { ensureDatabaseFolder } from './core.js';
import { CliError } from './fail.js';

/** Where a person (or curl) reaches a server bound to `host`: wildcard addresses mean this machine. */
export function baseUrlOf(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '::') return `http://127.0.0.1:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/** Pino settings: readable lines for a person at a terminal, JSON lines for log collectors. */
export function serverLogger(config: Config): object {
  if (!process.stdout.isTTY) return { level: config.logLevel };
  return {
    level: config.logLevel,
    transport: {
      target: 'pino-pretty',
      options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
    },
  };
}

/** Resolves on the first SIGINT or SIGTERM; a second one while shutting down exits at once. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** What a started server tells its caller. */
export interface Listening {
  baseUrl: string;
  docsUrl: string;
}

/**
 * Runs Tally until SIGINT or SIGTERM, then shuts down gracefully: stops listening, lets running
 * builds land and closes the store. Builds still waiting for their quiet window stay marked in the
 * store and run at the next start. `ready` is called once the port is bound.
 */
export async function runServer(config: Config, ready: (listening: Listening) => void): Promise<void> {
  ensureDatabaseFolder(config);
  // Imported here: the HTTP stack is the slow part of start-up and only serving commands need it.
  const { composeTally } = await import('../../bin/tally-server.js');
  const tally = await composeTally(config, { logger: serverLogger(config), processMetrics: true });
  try {
    await tally.app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await tally.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(
        `port ${config.port} on ${config.host} is already in use`,
        'stop the other process, or choose another port with --port N (or PORT=N)',
      );
    }
    throw error;
  }
  const address = tally.app.server.address();
  const baseUrl = baseUrlOf(config.host, typeof address === 'object' && address ? address.port : config.port);
  const listening = { baseUrl, docsUrl: `${baseUrl}/api-docs` };
  const stopping = nextSignal();
  ready(listening);
  tally.app.log.info(listening, 'Tally is ready');
  const signal = await stopping;
  tally.app.log.info({ signal }, 'shutting down: no new requests; letting running builds land');
  await tally.close();
}
