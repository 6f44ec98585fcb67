/**
 * Where a server's CPU went, from a V8 CPU profile: self time summed per package (node_modules/…),
 * per area of Tally's own code (src/<area>), Node's internals, GC and idle.
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile> [counts accepted]
 * With the number of accepted counts, also µs per count.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function attribute(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8 / native (program)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const own = /\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url) ?? /\/(bench)\//.exec(url);
  if (own) return own[1] as string;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return url;
}

const [file, acceptedText] = process.argv.slice(2);
if (file) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    const key = node ? attribute(node.callFrame.url, node.callFrame.functionName) : 'unknown';
    totals.set(key, (totals.get(key) ?? 0) + us);
    all += us;
  });
  const busy = all - (totals.get('idle') ?? 0);
  const accepted = acceptedText ? Number(acceptedText) : null;
  console.log(`busy ${(busy / 1e6).toFixed(2)} s of ${(all / 1e6).toFixed(2)} s sampled`);
  for (const [key, us] of [...totals]
    .filter(([k]) => k !== 'idle')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)) {
    const perCount = accepted ? `  ${(us / accepted).toFixed(1)} µs/count` : '';
    console.log(`${((100 * us) / busy).toFixed(1).padStart(5)} %  ${key}${perCount}`);
  }
}
