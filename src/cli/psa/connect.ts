import { Command } from 'commander';
import { TallyError } from '../../core/errors.js';
import { connectPsa } from '../../core/psa-connector/connect-psa.js';
import { addStoreFlags } from '../support/config-flags.js';
import { cliConfig, withCore } from '../support/core.js';
import { CliError } from '../support/fail.js';
import { requireText, withExamples } from '../support/help.js';
import { printJson, printLines, table } from '../support/output.js';
import { cliPsaDeps, connectionJson } from './support.js';

interface Options {
  partner: string;
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  json?: boolean;
}

/** `tally psa connect connectwise`: tests the credentials and stores them sealed. */
export function psaConnectCommand(): Command {
  const connectwise = new Command('connectwise')
    .description(
      'Connect a partner to ConnectWise PSA: the credentials are tested first, then kept encrypted ' +
        '(TALLY_SECRET_KEY); nothing is stored when the test fails',
    )
    .requiredOption('--partner <partnerId>', 'id printed by `tally partner create`')
    .requiredOption('--site <url>', 'the API host, e.g. https://api-na.myconnectwise.net')
    .requiredOption('--company-id <companyId>', 'the ConnectWise company id you sign in with')
    .requiredOption('--public-key <key>', 'public key of the API member')
    .requiredOption('--private-key <key>', 'private key of the API member')
    .requiredOption('--client-id <guid>', 'your clientId from the ConnectWise developer portal')
    .option('--json', 'print { kind, site, companyId, lastSync } as JSON');
  addStoreFlags(connectwise);
  withExamples(
    connectwise,
    'tally psa connect connectwise --partner "$PARTNER_ID" --site https://api-na.myconnectwise.net ' +
      '--company-id bluemsp --public-key "$CW_PUBLIC" --private-key "$CW_PRIVATE" --client-id "$CW_CLIENT_ID"',
  );
  connectwise.action(async (options: Options) => {
    const config = cliConfig(options as unknown as Record<string, unknown>);
    const partnerId = requireText(options.partner, '--partner');
    const connection = await withCore(config, (ctx) =>
      connectPsa(ctx, cliPsaDeps(config), partnerId, {
        kind: 'connectwise',
        site: options.site,
        companyId: options.companyId,
        publicKey: options.publicKey,
        privateKey: options.privateKey,
        clientId: options.clientId,
      }).catch((error: unknown) => {
        if (error instanceof TallyError && error.code === 'bad_request') {
          throw new CliError(
            error.message,
            'check the site, company id, keys and clientId, then run this again',
          );
        }
        throw error;
      }),
    );
    if (options.json) return printJson(connectionJson(connection, undefined));
    printLines([
      `Connected partner ${partnerId} to ConnectWise PSA`,
      ...table([
        ['site', connection.site],
        ['companyId', connection.account],
      ]),
      `Next: tally psa sync --partner ${partnerId}`,
    ]);
  });
  const command = new Command('connect').description("Connect a partner's PSA").addCommand(connectwise);
  return withExamples(command, 'tally psa connect connectwise --help');
}
