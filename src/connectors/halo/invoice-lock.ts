/**
 * One write at a time per recurring invoice. A Halo write sends the whole invoice back, so two writes
 * to lines of the same invoice that overlap would each send the other's line as it was before, and
 * the later one would undo the earlier. Held per process (the adapter keeps one for every connection).
 */
export class InvoiceLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(fn, fn);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // The last holder leaves no entry behind.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
