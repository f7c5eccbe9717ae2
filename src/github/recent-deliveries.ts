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
