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

/** ATX (`## How`) and setext (`How\n---`) headings with the text up to the next heading of the same or a higher level. */
export function sectionsOf(body: string): Section[] {
  const lines = linesOutsideComments(body);
  const headings: { index: number; level: number; heading: string; lineCount: number }[] = [];
  lines.forEach((line, index) => {
    if (line.inFence) return;
    // A closing run of `#` counts only after a space: `## C#` is the heading "C#".
    const atx = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$/.exec(line.text);
    if (atx) {
      headings.push({ index, level: atx[1]!.length, heading: (atx[2] ?? "").trim(), lineCount: 1 });
      return;
    }
    const next = lines[index + 1];
    if (next && !next.inFence && line.text.trim() !== "" && /^\s{0,3}(=+|-+)\s*$/.test(next.text) && !/^\s{0,3}[-*+]\s/.test(line.text)) {
      headings.push({ index, level: next.text.trim().startsWith("=") ? 1 : 2, heading: line.text.trim(), lineCount: 2 });
    }
  });
  return headings.map((heading, i) => {
    let end = lines.length;
    for (const later of headings.slice(i + 1)) {
      if (later.level <= heading.level) {
        end = later.index;
        break;
      }
    }
    const own = lines.slice(heading.index + heading.lineCount, end).filter((_, offset) => {
      // Sub-headings belong to the section, but are not text under it.
      const absolute = heading.index + heading.lineCount + offset;
      return !headings.some((h) => h.index <= absolute && absolute < h.index + h.lineCount);
    });
    return { heading: heading.heading, level: heading.level, text: own.map((line) => line.text).join("\n").trim() };
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
