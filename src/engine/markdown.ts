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

/** ATX (`## How`) and setext (`How\n---`) headings with the text up to the next heading of the same or a higher level. */
export function sectionsOf(body: string): Section[] {
  const lines = linesOutsideComments(body);
  const headings: { index: number; level: number; heading: string; lineCount: number }[] = [];
  const headingLines = new Set<number>();
  lines.forEach((line, index) => {
    if (line.inFence || headingLines.has(index)) return;
    const atx = atxHeading(line.text);
    if (atx) {
      headings.push({ index, ...atx, lineCount: 1 });
      headingLines.add(index);
      return;
    }
    const next = lines[index + 1];
    if (next && !next.inFence && line.text.trim() !== "" && /^ {0,3}(?:=+|-+)[ \t]*$/.test(next.text) && !/^ {0,3}[-*+][ \t]/.test(line.text)) {
      headings.push({ index, level: next.text.trim().startsWith("=") ? 1 : 2, heading: line.text.trim(), lineCount: 2 });
      headingLines.add(index).add(index + 1);
    }
  });
  // Each section ends at the next heading of the same or a higher level: walk back, remembering the next heading per level.
  const ends = new Array<number>(headings.length);
  const nextAtLevel = new Array<number>(7).fill(lines.length);
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
