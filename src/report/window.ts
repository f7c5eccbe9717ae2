/** `--since 30d | 12w | 2026-01-01`: the report window, ending now. */

const DAY = 86_400_000;

export interface ReportWindow {
  since: Date;
  until: Date;
}

/** Returns the window, or a plain sentence saying what is wrong with `since`. */
export function parseSince(since: string | undefined, now: number = Date.now()): ReportWindow | { problem: string } {
  const text = (since ?? "30d").trim();
  const relative = /^(\d{1,5})\s*([dw])$/i.exec(text);
  if (relative) {
    const count = Number(relative[1]);
    const days = relative[2]!.toLowerCase() === "w" ? count * 7 : count;
    if (days < 1) return { problem: "`--since` needs at least one day, e.g. `--since 30d`." };
    if (days > 3660) return { problem: "`--since` reaches back at most ten years (3660d)." };
    return { since: new Date(now - days * DAY), until: new Date(now) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = Date.parse(`${text}T00:00:00Z`);
    if (!Number.isFinite(start) || new Date(start).toISOString().slice(0, 10) !== text) return { problem: `\`--since ${text}\` is not a calendar date.` };
    if (start >= now) return { problem: `\`--since ${text}\` is not in the past.` };
    return { since: new Date(start), until: new Date(now) };
  }
  return { problem: `\`--since ${text}\` is not a window Accord understands: use days (30d), weeks (12w) or a date (2026-01-01).` };
}
