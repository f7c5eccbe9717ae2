/**
 * Reads an agreement file's text into a validated AgreementFile, or into located problems
 * (`FILE:LINE:COL: message`). Never throws on bad input.
 */
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { predicateFor, sentenceFor, unknownKeySentence } from "./problems.js";
import { agreementFileSchema, type AgreementFile } from "./schema.js";

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export type ParsedAgreements =
  | { ok: true; file: AgreementFile; problems: [] }
  | { ok: false; problems: ConfigProblem[] };

type Path = readonly PropertyKey[];
type Span = { start: number; end: number };

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

export function parseAgreements(text: string, fileName = ".github/agreements.yml"): ParsedAgreements {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (span: Span, message: string): ConfigProblem => {
    const start = lineCounter.linePos(span.start);
    const end = lineCounter.linePos(Math.max(span.start, span.end));
    return { file: fileName, line: start.line, column: start.col, endLine: end.line, endColumn: end.col, message };
  };

  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      const { message, start } = yamlErrorMessage(text, error.code, error.message, error.pos[0]);
      return at({ start, end: Math.max(start, error.pos[1]) }, message);
    });
    // One problem per line: a YAML mistake often confuses the reader for the rest of that line.
    const seenLines = new Set<number>();
    return {
      ok: false,
      problems: sortAndDedupe(problems).filter((problem) => !seenLines.has(problem.line) && seenLines.add(problem.line)),
    };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    const onlyComments = text.trim() !== "";
    const start = "Start it with `version: 1`, then your `teams` and `agreements` — `accord init` writes a commented starter.";
    return {
      ok: false,
      problems: [at({ start: 0, end: 0 }, onlyComments ? `The agreement file holds only comments, no settings or agreements. ${start}` : `The agreement file is empty. ${start}`)],
    };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      problems: [at({ start: 0, end: 0 }, `The YAML could not be read: ${detail}. Check the file's anchors (\`&name\`) and aliases (\`*name\`); writing the values out in full always works.`)],
    };
  }
  const result = agreementFileSchema.safeParse(data, { reportInput: true, error: (issue) => predicateFor(issue) });
  if (result.success) return { ok: true, file: result.data, problems: [] };

  const problems: ConfigProblem[] = [];
  // A mapping with an unknown key (a typo, mostly) also fails its own "needs one of" rule; the typo is the news.
  const pathKey = (path: readonly PropertyKey[]) => path.map(String).join("\u0000");
  const withUnknownKeys = new Set(result.error.issues.filter((issue) => issue.code === "unrecognized_keys").map((issue) => pathKey(issue.path)));
  for (const issue of result.error.issues) {
    if (issue.code === "custom" && withUnknownKeys.has(pathKey(issue.path))) continue;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) problems.push(at(keySpan(doc, [...issue.path, key]), unknownKeySentence(key, issue.path)));
    } else {
      problems.push(at(valueSpan(doc, issue.path), sentenceFor(issue as z.core.$ZodIssue, data)));
    }
  }
  return { ok: false, problems: sortAndDedupe(problems) };
}

function sortAndDedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((problem) => {
      const key = formatProblem(problem);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The span of the value at `path`, or of the nearest ancestor that exists. */
function valueSpan(doc: Document, path: Path): Span {
  for (let length = path.length; length >= 0; length--) {
    const prefix = path.slice(0, length);
    const node = doc.getIn(prefix as unknown[], true) as unknown;
    if (length === path.length && isNode(node) && node.range) return { start: node.range[0], end: node.range[1] };
    if (length < path.length) return keySpan(doc, prefix);
  }
  return { start: 0, end: 0 };
}

/** The span of the key that holds `path` (or of the list item), where the reader looks first. */
function keySpan(doc: Document, path: Path): Span {
  if (path.length === 0) {
    const contents = doc.contents as Node | null;
    return contents?.range ? { start: contents.range[0], end: contents.range[0] } : { start: 0, end: 0 };
  }
  const parent = doc.getIn(path.slice(0, -1) as unknown[], true) as unknown;
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(last));
    const key = pair?.key;
    if (isNode(key) && key.range) return { start: key.range[0], end: key.range[1] };
  }
  const node = doc.getIn(path as unknown[], true) as unknown;
  if (isNode(node) && node.range) return { start: node.range[0], end: node.range[1] };
  return path.length > 1 ? keySpan(doc, path.slice(0, -1)) : { start: 0, end: 0 };
}

const CLOSERS: Record<string, string> = { "]": "[", "}": "{" };

/**
 * A plain-words message for a YAML error, and where it really starts: an unclosed `[`, `{`
 * or quote is reported by the parser where it gave up, so point at the opener instead.
 */
function yamlErrorMessage(text: string, code: string, original: string, position: number): { message: string; start: number } {
  const firstLine = original.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  const closer = /end with an? ([\]}])/.exec(firstLine)?.[1];
  if (closer) {
    const opener = unclosedOpener(text, position, CLOSERS[closer]!, closer);
    if (opener !== undefined) {
      const what = closer === "]" ? "list" : "mapping";
      return {
        start: opener,
        message: `This \`${CLOSERS[closer]}\` ${what} is not closed. End it with \`${closer}\`; if it continues on the next lines, indent them further than its key.`,
      };
    }
  }
  const quote = /^Missing closing (['"])quote/.exec(firstLine)?.[1];
  if (quote) {
    const opener = unclosedOpener(text, position, quote, quote);
    return { start: opener ?? position, message: `This quoted text is not closed. End it with \`${quote}\` on the same line.` };
  }
  switch (code) {
    case "TAB_AS_INDENT":
      return { start: position, message: "A tab is used for indentation here; YAML indents with spaces only. Replace the tab with spaces." };
    case "MULTIPLE_DOCS":
      return {
        start: position,
        message: "A `---` line here starts a second YAML document, and the agreement file holds one. Remove the `---` and keep everything in one mapping.",
      };
    case "DUPLICATE_KEY":
      return { start: position, message: "This key appears twice in the same mapping; keep one of them." };
    case "MULTILINE_IMPLICIT_KEY":
      return {
        start: position,
        message: "This line reads as a key without a value. Check that every `key: value` has a space after the colon, and that the lines below are indented the same way.",
      };
    case "BLOCK_AS_IMPLICIT_KEY":
      return {
        start: position,
        message: "This value has another `key: value` inside it. Put the inner mapping on its own indented lines, or quote the value if the colon is part of the text.",
      };
    case "BAD_INDENT":
    case "MISSING_CHAR":
    case "UNEXPECTED_TOKEN":
      return {
        start: position,
        message: `The YAML does not parse here (${firstLine}). Check the indentation, and that every \`key: value\` has a space after the colon.`,
      };
    default:
      return { start: position, message: `The YAML does not parse here: ${firstLine}.` };
  }
}

/** The offset of the nearest opener before `position` that its line leaves unclosed. */
function unclosedOpener(text: string, position: number, open: string, close: string): number | undefined {
  let lineEnd = Math.min(position, text.length);
  while (lineEnd > 0) {
    const lineStart = text.lastIndexOf("\n", lineEnd - 1) + 1;
    const line = text.slice(lineStart, lineEnd).replace(/\s#.*$/, "");
    const unclosed: number[] = [];
    for (let i = 0; i < line.length; i++) {
      const char = line[i]!;
      if (open === close && char === open) {
        if (unclosed.length > 0) unclosed.pop();
        else unclosed.push(i);
      } else if (char === open) {
        unclosed.push(i);
      } else if (char === close) {
        unclosed.pop();
      }
    }
    if (unclosed.length > 0) return lineStart + unclosed[0]!;
    lineEnd = lineStart - 1;
  }
  return undefined;
}
