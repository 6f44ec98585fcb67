/** Machine-readable output: one JSON document on one line of stdout. */
export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

/** Human-readable output on stdout. */
export const printLines = (lines: string[]): void => {
  process.stdout.write(`${lines.join('\n')}\n`);
};

/** Progress and notes go to stderr, so stdout stays clean for --json and pipes. */
export const note = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

/** Label/value rows with the values lined up. */
export function table(rows: [string, string][], indent = '  '): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`);
}
