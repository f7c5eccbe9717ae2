/**
 * Work on one pull request runs one piece at a time, in arrival order, so two events for the
 * same PR never race to create a second comment. Different PRs run in parallel.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  get pending(): number {
    return this.tails.size;
  }
}

/** Remembers recent delivery ids so a redelivered webhook is handled once. */
export class RecentDeliveries {
  private readonly seen = new Set<string>();

  constructor(private readonly limit = 10_000) {}

  /** True the first time an id is seen. */
  firstTime(id: string | undefined): boolean {
    if (!id) return true;
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.limit) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}
