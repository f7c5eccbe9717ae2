const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** Parses sizes such as `5MB`, `500 KB` or `1.5GB` (powers of 1024); a plain number is bytes. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = UNITS[match[2]!.toUpperCase()]!;
  return Math.floor(Number(match[1]) * unit);
}

/** Renders a byte count the way people write it: `5 MB`, `812 KB`, `96 B`. */
export function formatByteSize(bytes: number): string {
  for (const unit of ["GB", "MB", "KB"] as const) {
    const size = UNITS[unit]!;
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} B`;
}
