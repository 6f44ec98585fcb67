import { Command } from 'commander';
import { TallyError } from '../../core/errors.js';
import { connectPsa } from '../../core/psa-connector/connect-psa.js';
import {
  AUTOTASK_DEFAULT_MAX_IN_FLIGHT,
  AUTOTASK_DEFAULT_REQUESTS_PER_HOUR,
  type PsaConnectionInput,
} from '../../core/psa-connector/connection-input.js';
import { PSA_NAMES, type PsaKind } from '../../core/model.js';
import { addStoreFlags } from '../support/config-flags.js';
import { cliConfig, withCore } from '../support/core.js';
import { CliError } from '../support/fail.js';
import { requireText, withExamples } from '../support/help.js';
import { printJson, printLines, table } from '../support/output.js';
import { cliPsaDeps, connectionJson } from './support.js';

type Flags = Record<string, string | boolean | undefined> & { partner: string; json?: boolean };

/** One PSA's `tally psa connect <psa>`: its flags, how they become the input, what to check. */
interface PsaCommand {
  kind: PsaKind;
  flags: [flags: string, description: string, required?: boolean][];
  input(flags: Flags): PsaConnectionInput;
  hint: string;
  example: string;
}

/** A whole-number flag, or undefined when it was not given. */
const whole = (value: unknown, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,6}$/.test(String(value)))
    throw new CliError(`${flag} must be a whole number`, `e.g. ${flag} 2`);
  return Number(value);
};

const COMMANDS: PsaCommand[] = [
  {
    kind: 'connectwise',
    flags: [
      ['--site <url>', 'the API host, e.g. https://api-na.myconnectwise.net', true],
      ['--company-id <companyId>', 'the ConnectWise company id you sign in with', true],
      ['--public-key <key>', 'public key of the API member', true],
      ['--private-key <key>', 'private key of the API member', true],
      ['--client-id <guid>', 'your clientId from the ConnectWise developer portal', true],
    ],
    input: (o) => ({
      kind: 'connectwise',
      site: String(o.site),
      companyId: String(o.companyId),
      publicKey: String(o.publicKey),
      privateKey: String(o.privateKey),
      clientId: String(o.clientId),
    }),
    hint: 'check the site, company id, keys and clientId, then run this again',
    example:
      'tally psa connect connectwise --partner "$PARTNER_ID" --site https://api-na.myconnectwise.net ' +
      '--company-id bluemsp --public-key "$CW_PUBLIC" --private-key "$CW_PRIVATE" --client-id "$CW_CLIENT_ID"',
  },
  {
    kind: 'halo',
    flags: [
      ['--site <url>', 'the resource server, e.g. https://acme.halopsa.com', true],
      ['--client-id <id>', 'client id of a HaloPSA API application (client credentials)', true],
      ['--client-secret <secret>', 'its client secret', true],
      ['--auth-url <url>', 'the authorisation server (default: <site>/auth)'],
      ['--tenant <name>', 'the tenant, on hosted multi-tenant HaloPSA only'],
    ],
    input: (o) => ({
      kind: 'halo',
      site: String(o.site),
      clientId: String(o.clientId),
      clientSecret: String(o.clientSecret),
      ...(o.authUrl !== undefined && { authUrl: String(o.authUrl) }),
      ...(o.tenant !== undefined && { tenant: String(o.tenant) }),
    }),
    hint: 'check the site, the client id and secret (an application of type client credentials, scope all)',
    example:
      'tally psa connect halo --partner "$PARTNER_ID" --site https://acme.halopsa.com ' +
      '--client-id "$HALO_CLIENT_ID" --client-secret "$HALO_CLIENT_SECRET"',
  },
  {
    kind: 'autotask',
    flags: [
      ['--username <user>', 'the API-only user (an email address)', true],
      ['--secret <secret>', "the API user's secret", true],
      ['--integration-code <code>', 'the API tracking identifier (integration code)', true],
      [
        '--requests-per-hour <n>',
        `Tally's share of Autotask's 10,000 requests an hour (default ${AUTOTASK_DEFAULT_REQUESTS_PER_HOUR})`,
      ],
      ['--max-in-flight <n>', `requests at once, 1–3 (default ${AUTOTASK_DEFAULT_MAX_IN_FLIGHT})`],
      ['--site <url>', 'where the zone is looked up (default https://webservices.autotask.net)'],
    ],
    input: (o) => ({
      kind: 'autotask',
      username: String(o.username),
      secret: String(o.secret),
      integrationCode: String(o.integrationCode),
      ...(o.site !== undefined && { site: String(o.site) }),
      requestsPerHour: whole(o.requestsPerHour, '--requests-per-hour'),
      maxInFlight: whole(o.maxInFlight, '--max-in-flight'),
    }),
    hint: 'check the API user, its secret and the integration code, then run this again',
    example:
      'tally psa connect autotask --partner "$PARTNER_ID" --username api@acme.example ' +
      '--secret "$AT_SECRET" --integration-code "$AT_CODE"',
  },
];

function connectCommand(psa: PsaCommand): Command {
  const name = PSA_NAMES[psa.kind];
  const command = new Command(psa.kind)
    .description(
      `Connect a partner to ${name}: the credentials are tested first, then kept encrypted ` +
        '(TALLY_SECRET_KEY); nothing is stored when the test fails',
    )
    .requiredOption('--partner <partnerId>', 'id printed by `tally partner create`');
  for (const [flags, description, required] of psa.flags) {
    if (required) command.requiredOption(flags, description);
    else command.option(flags, description);
  }
  command.option('--json', 'print { kind, site, account, settings, lastSync } as JSON');
  addStoreFlags(command);
  withExamples(command, psa.example);
  command.action(async (options: Flags) => {
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const partnerId = requireText(options.partner, '--partner');
    const input = psa.input(options);
    const connection = await withCore(config, (ctx) =>
      connectPsa(ctx, cliPsaDeps(config), partnerId, input).catch((error: unknown) => {
        if (error instanceof TallyError && error.code === 'bad_request')
          throw new CliError(error.message, psa.hint);
        throw error;
      }),
    );
    if (options.json) return printJson(connectionJson(connection, undefined));
    printLines([
      `Connected partner ${partnerId} to ${name}`,
      ...table([
        ['site', connection.site],
        ['account', connection.account],
        ...Object.entries(connection.settings),
      ]),
      `Next: tally psa sync --partner ${partnerId}`,
    ]);
  });
  return command;
}

/** `tally psa connect connectwise|halo|autotask`: tests the credentials and stores them sealed. */
export function psaConnectCommand(): Command {
  const command = new Command('connect').description("Connect a partner's PSA");
  for (const psa of COMMANDS) command.addCommand(connectCommand(psa));
  return withExamples(command, 'tally psa connect connectwise --help', 'tally psa connect autotask --help');
}
