/** Numbers in words people read at a glance. */

export function duration(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 60) return "under a minute";
  const minutes = seconds / 60;
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours < 10 ? hours.toFixed(1).replace(/\.0$/, "") : Math.round(hours)} h`;
  const days = hours / 24;
  return `${days < 10 ? days.toFixed(1).replace(/\.0$/, "") : Math.round(days)} days`;
}

export const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 100)}%`);

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export const prs = (n: number) => plural(n, "pull request");

export function listOf(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  const head = rest > 0 ? [...shown, `${rest} more`] : shown;
  if (head.length <= 1) return head.join("");
  return `${head.slice(0, -1).join(", ")} and ${head[head.length - 1]}`;
}

export const prRefs = (numbers: readonly number[], max = 6) => listOf(numbers.map((n) => `#${n}`), max);

export const day = (isoTime: string) => isoTime.slice(0, 10);
