/**
 * Runs the benchmarks and prints their ratios. Not part of `npm test`.
 *   npm run bench                 everything (about five minutes)
 *   npm run bench -- --quick      shorter load phases
 *   npm run bench -- --only build | throughput | billing | bulk | cluster | psa | suggestions | webhooks
 *   npm run bench -- --only webhooks --full     the webhook run at full size (10,000 events; long)
 */
import { parseArgs } from 'node:util';
import { describeBillingView, measureBillingView } from './billing-view.js';
import { describeBuild, measureBuildTime } from './build-time.js';
import { describeBulkPush, measureBulkPush } from './bulk-push.js';
import { describeCluster, measureCluster } from './cluster.js';
import { describeThroughput, measureCountThroughput } from './count-throughput.js';
import { describePsa, measurePsa } from './psa-connectwise.js';
import { describeHalo, measureHalo } from './psa-halo.js';
import { describeSuggestions, measureSuggestions } from './suggestions.js';
import { describeAutotask, measureAutotask } from './psa-autotask.js';
import { describeWebhooks, measureWebhooks } from './webhooks.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'string' },
    full: { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'Usage: npm run bench [-- --quick] [-- --only build|throughput|billing|bulk|cluster|psa|suggestions|webhooks] [-- --full] [-- --profile DIR]',
  );
  process.exit(0);
}
const durationS = values.quick ? 5 : 10;
const lines: string[] = [];

if (!values.only || values.only === 'throughput') {
  for (const synchronous of ['FULL', 'NORMAL']) {
    const r = await measureCountThroughput({
      durationS,
      connections: 32,
      integrations: 100,
      label: `SQLite (synchronous=${synchronous})`,
      floor: synchronous === 'FULL',
      env: {
        TALLY_SQLITE_SYNCHRONOUS: synchronous,
        // --profile DIR: a CPU profile of the server, written when it stops (see profile-summary.ts).
        ...(values.profile && synchronous === 'FULL'
          ? { NODE_OPTIONS: '--import ./bench/cpu-profile.mjs', TALLY_BENCH_PROFILE_DIR: values.profile }
          : {}),
      },
    });
    lines.push(describeThroughput(r));
  }
}
if (!values.only || values.only === 'psa') {
  lines.push(describePsa(await measurePsa()));
  lines.push(describeHalo(await measureHalo()));
  lines.push(describeAutotask(await measureAutotask()));
}
if (!values.only || values.only === 'build') {
  lines.push(
    describeBuild(
      await measureBuildTime({ integrations: 1, accounts: 2000, services: 10, label: 'one integration' }),
    ),
  );
  lines.push(
    describeBuild(
      await measureBuildTime({
        integrations: 10,
        accounts: 2000,
        services: 10,
        label: 'partner with 10 integrations',
      }),
    ),
  );
}
if (!values.only || values.only === 'billing') {
  lines.push(describeBillingView(await measureBillingView({ durationS, integrations: 50 })));
}
if (!values.only || values.only === 'bulk') {
  lines.push(describeBulkPush(await measureBulkPush()));
}
if (!values.only || values.only === 'cluster') {
  lines.push(
    describeCluster(
      await measureCluster({ durationS, connections: 32, integrations: 100, profileDir: values.profile }),
    ),
  );
}
if (!values.only || values.only === 'suggestions') {
  lines.push(describeSuggestions(await measureSuggestions({ companies: 20_000, accounts: 200 })));
}
if (!values.only || values.only === 'webhooks') {
  // Scaled down by default so the run stays within a couple of minutes on a shared machine.
  const events = values.full ? 10_000 : values.quick ? 500 : 1_000;
  const eventsPerSecond = values.full ? 50 : 25;
  const common = {
    events,
    endpoints: 20,
    integrations: 20,
    eventsPerSecond,
    timeoutS: values.full ? 900 : 180,
  };
  const baseline = await measureWebhooks({ ...common, failureRate: 0, label: 'baseline (no failures)' });
  lines.push(describeWebhooks(baseline));
  lines.push(
    describeWebhooks(
      await measureWebhooks({ ...common, failureRate: 0.3, label: '30 % failures' }),
      baseline,
    ),
  );
}
console.log(`\n${lines.join('\n')}`);
