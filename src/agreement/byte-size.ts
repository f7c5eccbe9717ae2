const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/**
 * A size as written in the agreement file: `5MB`, `500 KB`, `1.5GB` (units in any case).
 * Spelled without flags so the published JSON Schema carries the same rule to editors.
 */
export const BYTE_SIZE_PATTERN = /^\s*\d+(?:\.\d+)?\s*(?:[bB]|[kKmMgG][bB])\s*$/;

/** Parses sizes such as `5MB`, `500 KB` or `1.5GB` (powers of 1024); a plain whole number is bytes. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (!BYTE_SIZE_PATTERN.test(value)) return undefined;
  const match = /(\d+(?:\.\d+)?)\s*([a-z]+)/i.exec(value)!;
  const unit = UNITS[match[2]!.toUpperCase()]!;
  return Math.floor(Number(match[1]) * unit);
}

/** Renders a byte count the way people write it: `5 MB`, `812 KB`, `1.5 GB`, `96 B`. */
export function formatByteSize(bytes: number): string {
  const units = ["GB", "MB", "KB"] as const;
  for (const [i, unit] of units.entries()) {
    const size = UNITS[unit]!;
    if (bytes >= size) {
      const rounded = Math.round((bytes / size) * 10) / 10;
      // 1,048,575 bytes is "1 MB", not "1024 KB".
      if (rounded >= 1024 && i > 0) return `${rounded / 1024} ${units[i - 1]}`;
      return `${rounded} ${unit}`;
    }
  }
  return `${bytes} B`;
}
