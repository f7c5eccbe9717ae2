/**
 * Reading review-history JSONL (see /work/shared/datasets/README.md): one JSON object
 * a line with id, created_at, merged_at, author, reviewers, files. Every line is
 * checked, and a bad one is reported with its line number rather than skipped, so a
 * figure is never computed on silently truncated data.
 */

export interface ReviewRecord {
  id: string;
  /** When the change was written, ms since the epoch. */
  createdAt: number;
  /** When it landed, ms since the epoch. */
  mergedAt: number;
  author: string;
  /** Who approved it, in the order given. */
  reviewers: string[];
  files: string[];
}

/** A line that is not a valid record; `line` is 1-based. */
export class DatasetLineError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${source}, line ${line}: ${problem}`);
    this.name = "DatasetLineError";
  }
}

/** Parses a whole JSONL text. Blank lines are ignored; anything else must be a record. */
export function parseReviewHistory(text: string, source = "dataset"): ReviewRecord[] {
  const records: ReviewRecord[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === "") continue;
    const problemOrRecord = parseRecordLine(line);
    if (typeof problemOrRecord === "string") throw new DatasetLineError(source, index + 1, problemOrRecord);
    records.push(problemOrRecord);
  }
  return records;
}

/** One line → a record, or a plain description of what is wrong with it. */
export function parseRecordLine(line: string): ReviewRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return "not valid JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "expected a JSON object";
  const fields = value as Record<string, unknown>;
  for (const name of REQUIRED_FIELDS) if (fields[name] === undefined) return `"${name}" is missing`;
  const id = fields.id;
  if (typeof id !== "string" || id === "") return '"id" must be a non-empty string';
  const createdAt = parseTime(fields.created_at);
  if (createdAt === null) return '"created_at" must be an ISO 8601 date-time';
  const mergedAt = parseTime(fields.merged_at);
  if (mergedAt === null) return '"merged_at" must be an ISO 8601 date-time';
  const author = fields.author;
  if (typeof author !== "string" || author === "") return '"author" must be a non-empty string';
  if (!isListOfNames(fields.reviewers)) return '"reviewers" must be a list of non-empty strings';
  if (!isListOfNames(fields.files)) return '"files" must be a list of non-empty strings';
  return { id, createdAt, mergedAt, author, reviewers: [...fields.reviewers], files: [...fields.files] };
}

const REQUIRED_FIELDS = ["id", "created_at", "merged_at", "author", "reviewers", "files"] as const;

// A date, optionally followed by a time with an optional zone; Date.parse alone accepts too much.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseTime(value: unknown): number | null {
  if (typeof value !== "string" || !ISO_8601.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function isListOfNames(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string" && item !== "");
}
