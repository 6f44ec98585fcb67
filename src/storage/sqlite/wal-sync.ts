import { type FileHandle, open } from 'node:fs/promises';

/**
 * Flushes SQLite's write-ahead log to the disk off the event loop, for many commits at once.
 *
 * Count batches commit with `synchronous = NORMAL` (no flush inside the commit, which would hold the
 * event loop for the whole of it) and are answered only after `flush()` resolves. Every caller gets
 * a flush that began after it called, so whatever it committed before calling is on the disk: an
 * fsync covers the whole file, and a commit of the log is a contiguous append to it (a checkpoint,
 * which may restart the log, flushes the log and the database itself first). Callers that arrive
 * while a flush runs share the next one, so one flush acknowledges every batch committed meanwhile.
 *
 * A failed fsync leaves what the kernel still holds of the file unknown, so the first failure is
 * kept and every later flush fails with it: no count is acknowledged again until the process
 * restarts and SQLite recovers the log.
 */
export class WalSync {
  private file: FileHandle | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly walPath: string,
    private readonly sync: (file: FileHandle) => Promise<void> = (file) => file.sync(),
  ) {}

  /** Resolves once everything committed before this call is on the disk. */
  flush(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    // The flush under way may have begun before this caller's commit: one more follows it.
    const after = this.running.then(
      () => undefined,
      () => undefined,
    );
    this.queued = after.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.queued]);
    await this.file?.close();
    this.file = undefined;
  }

  private start(): Promise<void> {
    const run = this.syncOnce();
    this.running = run;
    const done = () => {
      if (this.running === run) this.running = undefined;
    };
    run.then(done, done);
    return run;
  }

  private async syncOnce(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    try {
      // The log exists from the first commit in WAL mode until the last connection closes.
      this.file ??= await open(this.walPath, 'r');
      await this.sync(this.file);
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }
}
