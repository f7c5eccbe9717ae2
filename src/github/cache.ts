/**
 * A bounded map with optional expiry: immutable answers (content by SHA) live until evicted,
 * others for a TTL. Bounded by entry count and, when given a weigher, by an estimate of the
 * bytes its values hold — a few huge values (a 3,000-file list, a notebook) cannot crowd the
 * process out the way a count alone would let them.
 */
export interface CacheLimits {
  maxEntries: number;
  ttlMs?: number;
  /** Upper bound on the summed weight of the values; needs `weigh`. */
  maxBytes?: number;
  /** An estimate of one value's size in bytes (strings count two bytes a character). */
  weigh?: (value: unknown) => number;
}

interface Entry<V> {
  value: V;
  expires: number;
  bytes: number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly weigh: ((value: V) => number) | undefined;
  private totalBytes = 0;

  constructor(
    limits: number | CacheLimits,
    ttlMs = Infinity,
    private readonly now: () => number = Date.now,
  ) {
    const given = typeof limits === "number" ? { maxEntries: limits, ttlMs } : limits;
    this.maxEntries = given.maxEntries;
    this.ttlMs = given.ttlMs ?? Infinity;
    this.maxBytes = given.maxBytes ?? Infinity;
    this.weigh = given.weigh as ((value: V) => number) | undefined;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.remove(key, entry);
      return undefined;
    }
    // Re-insert so the map's order is least-recently-used first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, ttlMs = this.ttlMs): void {
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    const bytes = this.weigh ? this.weigh(value) : 0;
    // A value larger than the whole budget is not kept at all.
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, expires: this.now() + ttlMs, bytes });
    this.totalBytes += bytes;
    while (this.entries.size > this.maxEntries || this.totalBytes > this.maxBytes) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry<V>];
      this.remove(oldest, entry);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry) this.remove(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The summed weight of the values held (0 without a weigher). */
  get bytes(): number {
    return this.totalBytes;
  }

  private remove(key: string, entry: Entry<V>): void {
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }
}

/** A rough size of a plain value in bytes: strings two bytes a character, 16 per other field. */
export function approximateBytes(value: unknown): number {
  if (value === null || value === undefined) return 8;
  if (typeof value === "string") return 16 + value.length * 2;
  if (typeof value !== "object") return 16;
  let bytes = 32;
  if (Array.isArray(value)) {
    for (const item of value) bytes += 8 + approximateBytes(item);
    return bytes;
  }
  for (const [key, item] of Object.entries(value)) bytes += key.length + approximateBytes(item);
  return bytes;
}
