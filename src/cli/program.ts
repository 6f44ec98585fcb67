import { Command } from 'commander';
import { configShowCommand } from './config/show.js';
import { demoCommand } from './demo.js';
import { integrationConnectCommand } from './integration/connect.js';
import { migrateCommand } from './migrate.js';
import { migrateToCommand } from './migrate-to.js';
import { sandboxCommand } from './sandbox.js';
import { partnerCreateCommand } from './partner/create.js';
import { partnerUserAddCommand } from './partner/user/add.js';
import { psaConnectCommand } from './psa/connect.js';
import { psaStatusCommand } from './psa/status.js';
import { psaSyncCommand } from './psa/sync.js';
import { serveCommand } from './serve.js';
import { withExamples } from './support/help.js';
import { vendorCreateCommand } from './vendor/create.js';
import { webhooksCreateCommand } from './webhooks/create.js';
import { webhooksDeleteCommand } from './webhooks/delete.js';
import { webhooksListCommand } from './webhooks/list.js';
import { webhooksLogCommand } from './webhooks/log.js';
import { webhooksReplayCommand } from './webhooks/replay.js';
import { webhooksRotateSecretCommand } from './webhooks/rotate-secret.js';
import { webhooksTestCommand } from './webhooks/test-event.js';
import { webhooksUpdateCommand } from './webhooks/update.js';

/** A command that only groups subcommands, e.g. `tally vendor`. */
const group = (name: string, description: string, example: string, ...commands: Command[]): Command => {
  const command = new Command(name).description(description);
  for (const sub of commands) command.addCommand(sub);
  return withExamples(command, example);
};

/** The whole `tally` command tree. */
export function buildProgram(): Command {
  const program = new Command('tally')
    .description(
      'Tally: self-hosted vendor usage sync and MSP billing reconciliation, with a Synthesize-compatible vendor API',
    )
    .addCommand(serveCommand())
    .addCommand(demoCommand())
    .addCommand(sandboxCommand())
    .addCommand(migrateCommand())
    .addCommand(migrateToCommand())
    .addCommand(
      group(
        'vendor',
        'Manage vendors',
        "tally vendor create --name 'Northwind Backup'",
        vendorCreateCommand(),
      ),
    )
    .addCommand(
      group(
        'partner',
        'Manage partners (MSPs)',
        "tally partner create --name 'Contoso IT' --user-email owner@contoso.example",
        partnerCreateCommand(),
        group(
          'user',
          'Manage the people who sign in for a partner',
          'tally partner user add --partner "$PARTNER_ID" --email billing@contoso.example',
          partnerUserAddCommand(),
        ),
      ),
    )
    .addCommand(
      group(
        'integration',
        'Connect vendors to partners',
        'tally integration connect --vendor "$VENDOR_ID" --partner "$PARTNER_ID" --vendor-key "$VENDOR_KEY"',
        integrationConnectCommand(),
      ),
    )
    .addCommand(
      group(
        'psa',
        "Connect a partner's PSA (ConnectWise PSA), sync it and see its state",
        'tally psa status --partner "$PARTNER_ID"',
        psaConnectCommand(),
        psaSyncCommand(),
        psaStatusCommand(),
      ),
    )
    .addCommand(
      group(
        'webhooks',
        'Manage webhook endpoints (Standard Webhooks) of partners and vendors',
        'tally webhooks create --partner "$PARTNER_ID" --url https://billing.example.com/hooks --events billing.built',
        webhooksListCommand(),
        webhooksCreateCommand(),
        webhooksUpdateCommand(),
        webhooksDeleteCommand(),
        webhooksRotateSecretCommand(),
        webhooksTestCommand(),
        webhooksLogCommand(),
        webhooksReplayCommand(),
      ),
    )
    .addCommand(group('config', 'Inspect the configuration', 'tally config show', configShowCommand()));
  // addCommand() passes no settings down, so each command is told to point at --help on a usage error.
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program))
    command.showHelpAfterError('(add --help for usage and an example)');
  return withExamples(program, 'npx tally demo --serve', 'npx tally serve --port 8080 --db data/tally.db');
}
