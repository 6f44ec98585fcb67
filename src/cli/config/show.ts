import { Command } from 'commander';
import { type Config, ConfigSchema, envNameOf } from '../../config/config.js';
import { addServerFlags, addStoreFlags, configOverrides, describeSetting } from '../support/config-flags.js';
import { cliConfig } from '../support/core.js';
import { redactSetting } from '../../config/redact.js';
import { withExamples } from '../support/help.js';
import { printJson, printLines } from '../support/output.js';

type Source = 'flag' | 'env' | 'default';

interface Setting {
  value: unknown;
  source: Source;
  env: string | null;
}

/** Where a setting came from, by the same precedence loadConfig applies: flag, then env, then default. */
function sourceOf(key: keyof Config, overrides: Partial<Config>): Source {
  if (overrides[key] !== undefined) return 'flag';
  const env = envNameOf(key);
  return env && process.env[env] ? 'env' : 'default';
}

/** `tally config show`: the effective configuration, secrets redacted, with each value's source. */
export function configShowCommand(): Command {
  const command = new Command('show')
    .description('Show the effective configuration (secrets redacted) and where each value came from')
    .option('--json', 'print { <setting>: { value, source, env } } as JSON');
  addStoreFlags(command);
  addServerFlags(command);
  withExamples(command, 'tally config show', 'PORT=9000 tally config show --db /tmp/tally.db --json');
  return command.action((options: Record<string, unknown>) => {
    const config = cliConfig(options);
    const overrides = configOverrides(options);
    const keys = Object.keys(ConfigSchema.properties) as (keyof Config)[];
    const settings = Object.fromEntries(
      keys.map((key): [string, Setting] => [
        key,
        {
          value: redactSetting(key, config[key]),
          source: sourceOf(key, overrides),
          env: envNameOf(key) ?? null,
        },
      ]),
    );
    if (options.json) return printJson(settings);
    const width = Math.max(...keys.map((k) => k.length));
    printLines(
      keys.flatMap((key) => {
        const { value, source } = settings[key] as Setting;
        const from = source === 'env' ? `env ${envNameOf(key)}` : source;
        return [
          `${key.padEnd(width)}  ${JSON.stringify(value)}  [${from}]`,
          `${' '.repeat(width)}  ${describeSetting(key)}`,
        ];
      }),
    );
  });
}
