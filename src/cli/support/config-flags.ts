import { type Command, InvalidArgumentError, Option } from 'commander';
import { type Config, ConfigSchema, envNameOf } from '../../config/config.js';

/** A command-line flag that overrides one config setting. */
interface ConfigFlag {
  flags: string;
  /** The property commander stores the value under. */
  attribute: string;
  key: keyof Config;
  parse?: (value: string) => number;
}

const wholeNumber = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Expected a whole number, like 8080.');
  return Number(value);
};

const STORE_FLAGS: ConfigFlag[] = [
  { flags: '--db <file>', attribute: 'db', key: 'sqliteFile' },
  { flags: '--database-url <url>', attribute: 'databaseUrl', key: 'databaseUrl' },
];

const SERVER_FLAGS: ConfigFlag[] = [
  { flags: '--port <port>', attribute: 'port', key: 'port', parse: wholeNumber },
  { flags: '--host <host>', attribute: 'host', key: 'host' },
  { flags: '--build-quiet-ms <ms>', attribute: 'buildQuietMs', key: 'buildQuietMs', parse: wholeNumber },
  {
    flags: '--build-max-wait-ms <ms>',
    attribute: 'buildMaxWaitMs',
    key: 'buildMaxWaitMs',
    parse: wholeNumber,
  },
];

/** The schema's own description, env name and default, so --help and `config show` say the same. */
export function describeSetting(key: keyof Config): string {
  const schema = ConfigSchema.properties[key] as { description?: string; default?: unknown };
  const env = envNameOf(key);
  // Some descriptions already name their variable; it is said once, below.
  const text = (schema.description ?? key).replace(` (${env})`, '');
  const fallback = schema.default === null ? 'unset' : JSON.stringify(schema.default);
  return `${text} (${[env ? `env ${env}` : null, `default ${fallback}`].filter(Boolean).join(', ')})`;
}

function addFlags(command: Command, flags: ConfigFlag[]): Command {
  for (const flag of flags) {
    // No commander defaults: an absent flag must leave the environment's value in force.
    const option = new Option(flag.flags, describeSetting(flag.key));
    if (flag.parse) option.argParser(flag.parse);
    command.addOption(option);
  }
  return command;
}

/** Adds --db and --database-url: which database the command works on. */
export const addStoreFlags = (command: Command): Command => addFlags(command, STORE_FLAGS);

/** Adds --port, --host and the debounce flags of a serving command. */
export const addServerFlags = (command: Command): Command => addFlags(command, SERVER_FLAGS);

/** Turns the config flags a user gave into loadConfig overrides (absent flags are left out). */
export function configOverrides(options: Record<string, unknown>): Partial<Config> {
  const overrides: Record<string, unknown> = {};
  for (const flag of [...STORE_FLAGS, ...SERVER_FLAGS]) {
    if (options[flag.attribute] !== undefined) overrides[flag.key] = options[flag.attribute];
  }
  return overrides as Partial<Config>;
}
