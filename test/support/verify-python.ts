import { spawnSync } from 'node:child_process';

/**
 * Verifies Standard Webhooks signatures with Python's hmac, an implementation that shares no code
 * with Tally's. Answers, per message, whether any of its signatures matched.
 */
const SCRIPT = String.raw`
import base64, hashlib, hmac, json, sys
out = []
for line in sys.stdin:
    m = json.loads(line)
    key = base64.b64decode(m["secret"][len("whsec_"):])
    signed = (m["id"] + "." + m["timestamp"] + "." + m["body"]).encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in m["signature"].split(" ") if s.startswith("v1,")]
    out.append(any(hmac.compare_digest(expected, g) for g in given))
print(json.dumps(out))
`;

export const pythonAvailable = (): boolean => spawnSync('python3', ['--version']).status === 0;

/** Whether the independent check can run: a loud warning without python3, a failure in CI. */
export function pythonOrSkip(what: string): boolean {
  if (pythonAvailable()) return true;
  if (process.env.CI === 'true') throw new Error(`python3 is needed in CI: ${what}`);
  console.warn(`\n*** SKIPPED: ${what} (python3 not found) ***\n`);
  return false;
}

export function verifyWithPython(
  messages: { secret: string; id: string; timestamp: string; body: string; signature: string }[],
): boolean[] {
  const run = spawnSync('python3', ['-c', SCRIPT], {
    input: messages.map((m) => JSON.stringify(m)).join('\n') + '\n',
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as boolean[];
}
