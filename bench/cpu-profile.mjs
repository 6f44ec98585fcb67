// Preloaded into a server process by `npm run bench -- --profile DIR` (Node 20 refuses --cpu-prof in
// NODE_OPTIONS): records a V8 CPU profile from start to exit and writes it to
// $TALLY_BENCH_PROFILE_DIR/<pid>.cpuprofile, for bench/profile-summary.ts.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.TALLY_BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.once('exit', () => {
    // Same-thread inspector sessions answer synchronously, so this completes before the exit.
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
