/**
 * Runs the benchmarks and prints their ratios. Not part of `npm test`.
 *   npm run bench                 everything (about five minutes)
 *   npm run bench -- --quick      shorter load phases
 *   npm run bench -- --only build | throughput | billing | bulk | cluster | psa
 */
import { parseArgs } from 'node:util';
import { describeBillingView, measureBillingView } from './billing-view.js';
import { describeBuild, measureBuildTime } from './build-time.js';
import { describeBulkPush, measureBulkPush } from './bulk-push.js';
import { describeCluster, measureCluster } from './cluster.js';
import { describeThroughput, measureCountThroughput } from './count-throughput.js';
import { describePsa, measurePsa } from './psa-connectwise.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'string' },
    only: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'Usage: npm run bench [-- --quick] [-- --only build|throughput|billing|bulk|cluster|psa] [-- --profile DIR]',
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
  lines.push(describeCluster(await measureCluster({ durationS, connections: 32, integrations: 100 })));
}
console.log(`\n${lines.join('\n')}`);
