import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = ['bin/tally.js'];

/** A clean environment: no TALLY_*, PORT or DATABASE_URL leaks in from the developer's shell. */
const cleanEnv = (extra: Record<string, string>): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? tmpdir(),
  ...extra,
});

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tally <args>` to completion, as a user would. */
export async function tally(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], { env: cleanEnv(env) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** A command's --json output; tests check it field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON from the CLI
export type CliJson = Record<string, any>;

/** Parses a command's single-line JSON output, failing with the command's stderr if it is not JSON. */
export function json(result: CliResult): CliJson {
  try {
    return JSON.parse(result.stdout) as CliJson;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** A running `tally serve` or `tally demo --serve`. */
export interface RunningCli {
  /** Every JSON line the process printed so far (logs, and the demo summary with --json). */
  lines: Record<string, unknown>[];
  baseUrl: string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a long-running command and resolves once it logs that it is ready (JSON logs: stdout is a pipe). */
export function tallyServing(args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const child: ChildProcess = spawn(process.execPath, [...CLI, ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete) {
        if (line.trim() === '') continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        if (parsed.msg === 'Tally is ready') {
          resolve({
            lines,
            baseUrl: String(parsed.baseUrl),
            stop: () => {
              child.kill('SIGTERM');
              return exited;
            },
          });
        }
      }
    });
    void exited.then((code) => reject(new Error(`tally ${args.join(' ')} exited ${code}:\n${stderr}`)));
  });
}

/** A temporary folder for database files, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tally-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
