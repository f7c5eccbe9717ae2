/** Just enough markdown reading for PR descriptions: headings, sections, checklists, comments. */

export function stripHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, "");
}

interface Line {
  text: string;
  inFence: boolean;
}

function linesOutsideComments(body: string): Line[] {
  const lines: Line[] = [];
  let fence: string | undefined;
  for (const text of stripHtmlComments(body).replace(/\r\n?/g, "\n").split("\n")) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(text);
    if (marker) {
      if (fence === undefined) fence = marker[1]![0];
      else if (marker[1]![0] === fence) fence = undefined;
      lines.push({ text, inFence: true });
      continue;
    }
    lines.push({ text, inFence: fence !== undefined });
  }
  return lines;
}

export interface Section {
  heading: string;
  /** 1–6 for `#` and setext headings; 7 for a bold line (`**What:**`). */
  level: number;
  text: string;
}

/**
 * An ATX heading (`## How`, `## How ##`), read without a backtracking regex: PR bodies are
 * written by anyone, and a pattern such as `(.*?)(?:[ \t]+#+)?[ \t]*$` takes seconds on a
 * 60,000-character line of spaces and tabs. A closing run of `#` counts only after a space,
 * so `## C#` is the heading "C#".
 */
function atxHeading(text: string): { level: number; heading: string } | undefined {
  const open = /^ {0,3}(#{1,6})(?=[ \t]|$)/.exec(text);
  if (!open) return undefined;
  let rest = text.slice(open[0].length).replace(/^[ \t]+/, "");
  let end = rest.length;
  while (end > 0 && (rest[end - 1] === " " || rest[end - 1] === "\t")) end--;
  let hashes = end;
  while (hashes > 0 && rest[hashes - 1] === "#") hashes--;
  if (hashes < end && (hashes === 0 || rest[hashes - 1] === " " || rest[hashes - 1] === "\t")) end = hashes;
  rest = rest.slice(0, end);
  return { level: open[1]!.length, heading: rest.trim() };
}

/**
 * A line that is only bold text — `**What:**`, `**What**:`, `__What__` — which many PR templates
 * use as headings. Read with plain string scans, linear in the line (no regex over the text):
 * a line of 100,000 `*` is answered in one pass. Gives the bold text (a trailing `:` kept, as in
 * any heading; `description` ignores it), or undefined when the line is not only bold text:
 * `**What** we changed`, `**a** and **b**`, a row of `*` (a thematic break), or a line indented
 * four spaces or more (code).
 */
export function boldHeading(text: string): string | undefined {
  let line = text.trimEnd();
  const start = line.length - line.trimStart().length;
  if (start > 3 || line.slice(0, start).includes("\t")) return undefined;
  line = line.slice(start);
  const colon = line.endsWith(":") ? ":" : "";
  if (colon) line = line.slice(0, -1).trimEnd();
  const mark = line.slice(0, 2);
  if ((mark !== "**" && mark !== "__") || line.length < 5 || !line.endsWith(mark)) return undefined;
  let inner = line.slice(2, -2);
  // One bold run only; and, as in CommonMark, no space just inside the markers.
  if (inner.includes(mark) || inner.trim() !== inner) return undefined;
  // Bold and italic at once (`***What***`): the inner emphasis goes too.
  if (inner.length >= 3 && (inner[0] === "*" || inner[0] === "_") && inner.endsWith(inner[0])) inner = inner.slice(1, -1).trim();
  if (!/[^*_\s]/.test(inner)) return undefined;
  return `${inner}${colon}`;
}

/** Level for a bold line: below `######`, so a bold line's section ends at the next heading of any kind. */
const BOLD_LEVEL = 7;

/**
 * ATX (`## How`), setext (`How\n---`) and bold-line (`**How:**`) headings, each with the text up
 * to the next heading of the same or a higher level. A heading that is all bold (`## **How**`)
 * reads as its text.
 */
export function sectionsOf(body: string): Section[] {
  const lines = linesOutsideComments(body);
  const headings: { index: number; level: number; heading: string; lineCount: number }[] = [];
  const headingLines = new Set<number>();
  lines.forEach((line, index) => {
    if (line.inFence || headingLines.has(index)) return;
    const atx = atxHeading(line.text);
    if (atx) {
      headings.push({ index, level: atx.level, heading: boldHeading(atx.heading) ?? atx.heading, lineCount: 1 });
      headingLines.add(index);
      return;
    }
    const next = lines[index + 1];
    if (next && !next.inFence && line.text.trim() !== "" && /^ {0,3}(?:=+|-+)[ \t]*$/.test(next.text) && !/^ {0,3}[-*+][ \t]/.test(line.text)) {
      headings.push({ index, level: next.text.trim().startsWith("=") ? 1 : 2, heading: boldHeading(line.text) ?? line.text.trim(), lineCount: 2 });
      headingLines.add(index).add(index + 1);
      return;
    }
    const bold = boldHeading(line.text);
    if (bold !== undefined) {
      headings.push({ index, level: BOLD_LEVEL, heading: bold, lineCount: 1 });
      headingLines.add(index);
    }
  });
  // Each section ends at the next heading of the same or a higher level: walk back, remembering the next heading per level.
  const ends = new Array<number>(headings.length);
  const nextAtLevel = new Array<number>(BOLD_LEVEL + 1).fill(lines.length);
  for (let i = headings.length - 1; i >= 0; i--) {
    const heading = headings[i]!;
    ends[i] = Math.min(...nextAtLevel.slice(1, heading.level + 1));
    nextAtLevel[heading.level] = heading.index;
  }
  return headings.map((heading, i) => {
    const own: string[] = [];
    // Sub-headings belong to the section, but are not text under it.
    for (let index = heading.index + heading.lineCount; index < ends[i]!; index++) if (!headingLines.has(index)) own.push(lines[index]!.text);
    return { heading: heading.heading, level: heading.level, text: own.join("\n").trim() };
  });
}

/** Unticked `- [ ]` items outside code blocks and comments. */
export function uncheckedItems(body: string): string[] {
  return linesOutsideComments(body)
    .filter((line) => !line.inFence)
    .map((line) => /^\s*(?:[-*+]|\d+[.)])\s+\[ \]\s*(.*)$/.exec(line.text))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => match[1]!.trim());
}

/**
 * Issue references: `#123`, `owner/repo#123`, `GH-123`, or an issue/pull URL (closing keywords
 * such as `Fixes #12` use these forms too). A reference starts a word: `&#123;` (an HTML
 * entity), `page.html#12` (a link fragment) and `#0f0`/`#000` (colours; issues start at 1) are not.
 * Owners have no dots, so `example.com/page#12` is a link, not `owner/repo#12`.
 */
export function referencesAnIssue(body: string): boolean {
  const text = linesOutsideComments(body)
    .filter((line) => !line.inFence)
    .map((line) => line.text.replace(/`[^`]*`/g, ""))
    .join("\n");
  return (
    /(?:^|[\s([{<>,;:!?*_~"'])(?:[A-Za-z0-9-]+\/[\w.-]+)?#[1-9]\d*(?![\w-])/.test(text) ||
    /(?:^|[^\w-])GH-[1-9]\d*\b/.test(text) ||
    /https?:\/\/[^\s/]+\/[\w.-]+\/[\w.-]+\/(?:issues|pull)\/[1-9]\d*/.test(text)
  );
}
