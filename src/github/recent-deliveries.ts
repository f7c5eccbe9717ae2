/**
 * Which webhook deliveries this process has handled, so a delivery GitHub sends twice is
 * handled once — while one that failed is handled again when it comes back (GitHub's
 * "Redeliver", or Accord's own recovery), since nothing about it was finished.
 */
export class RecentDeliveries {
  private readonly running = new Set<string>();
  private readonly finished = new Set<string>();

  constructor(private readonly limit = 10_000) {}

  /** True when this delivery should be handled now: not finished, and not being handled already. */
  begin(id: string | undefined): boolean {
    if (!id) return true;
    if (this.running.has(id) || this.finished.has(id)) return false;
    this.running.add(id);
    return true;
  }

  /** Marks a delivery handled (`ok`), or forgets it so that a redelivery is handled again. */
  end(id: string | undefined, ok: boolean): void {
    if (!id) return;
    this.running.delete(id);
    if (!ok) return;
    this.finished.add(id);
    if (this.finished.size > this.limit) this.finished.delete(this.finished.values().next().value as string);
  }
}
