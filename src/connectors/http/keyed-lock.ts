/**
 * Runs work one at a time per key. A PSA write computed from a fresh read (Autotask's relative
 * change, HaloPSA's whole invoice) must not interleave with another write of the same thing, or both
 * start from the same state and the later undoes or doubles the earlier. Held per process.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(work);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // The last holder leaves no entry behind.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
