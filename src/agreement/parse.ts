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
    return { ok: false, problems: doc.errors.map((error) => at({ start: error.pos[0], end: error.pos[1] }, yamlErrorMessage(error.code, error.message))) };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return {
      ok: false,
      problems: [at({ start: 0, end: 0 }, "The agreement file is empty. Start it with `version: 1`, then your `teams` and `agreements` — `accord init` writes a commented starter.")],
    };
  }

  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const result = agreementFileSchema.safeParse(data, { reportInput: true, error: (issue) => predicateFor(issue) });
  if (result.success) return { ok: true, file: result.data, problems: [] };

  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
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

function yamlErrorMessage(code: string, original: string): string {
  const firstLine = original.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  switch (code) {
    case "TAB_AS_INDENT":
      return "A tab is used for indentation here; YAML indents with spaces only. Replace the tab with spaces.";
    case "DUPLICATE_KEY":
      return "This key appears twice in the same mapping; keep one of them.";
    case "BAD_INDENT":
    case "MISSING_CHAR":
    case "UNEXPECTED_TOKEN":
    case "BLOCK_AS_IMPLICIT_KEY":
      return `The YAML does not parse here (${firstLine}). Check the indentation, and that every \`key: value\` has a space after the colon.`;
    default:
      return `The YAML does not parse here: ${firstLine}.`;
  }
}
