/**
 * Compact forms of what the store keeps: an evaluation's per-agreement results as short JSON
 * codes, changed paths as top directories, and a PR's facts as short-keyed JSON (deflated when
 * large) with notebooks reduced to what a replay needs (their verdict, not their cells).
 */
import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { ChangedFile, FileStatus, PullRequestFacts, Review, ReviewState } from "../engine/facts.js";
import { inspectNotebook } from "../engine/requirements/notebooks.js";
import type { Evaluation, Outcome } from "../engine/result.js";
import type { EventTime, RecordedAgreementResult } from "./types.js";

export function toMillis(at: EventTime | undefined, now: () => number = Date.now): number {
  if (at === undefined) return now();
  const ms = at instanceof Date ? at.getTime() : typeof at === "number" ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new TypeError(`not a time: ${String(at)}`);
  return Math.trunc(ms);
}

export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : iso(ms));

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

// ---------------------------------------------------------------------------------------------
// Outcomes, severities and modes as one letter.

const OUTCOME_CODE: Record<Outcome, string> = { pass: "p", fail: "f", waiting: "w", waived: "v", skipped: "s", error: "e" };
const CODE_OUTCOME = Object.fromEntries(Object.entries(OUTCOME_CODE).map(([k, v]) => [v, k])) as Record<string, Outcome>;
export const outcomeCode = (outcome: Outcome) => OUTCOME_CODE[outcome];
export const outcomeOf = (code: string): Outcome => CODE_OUTCOME[code] ?? "error";

export type SeverityCode = "r" | "a";
export type ModeCode = "e" | "t";
export const severityCode = (severity: "required" | "advisory"): SeverityCode => (severity === "advisory" ? "a" : "r");
export const modeCode = (mode: "enforce" | "trial"): ModeCode => (mode === "trial" ? "t" : "e");
export const severityOf = (code: string) => (code === "a" ? "advisory" : "required");
export const modeOf = (code: string) => (code === "t" ? "trial" : "enforce");

export const isUnmetOutcome = (outcome: Outcome) => outcome === "fail" || outcome === "waiting" || outcome === "error";

// ---------------------------------------------------------------------------------------------
// Paths: the directory a changed file lives in, at most two levels deep.

export const MAX_DIRS_PER_AGREEMENT = 20;

export function topDirectory(path: string): string {
  const first = path.indexOf("/");
  if (first < 0) return ".";
  const second = path.indexOf("/", first + 1);
  return second < 0 ? path.slice(0, first) : path.slice(0, second);
}

export function topDirectories(paths: readonly string[], limit = MAX_DIRS_PER_AGREEMENT): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    dirs.add(topDirectory(path));
    if (dirs.size >= limit) break;
  }
  return [...dirs];
}

// ---------------------------------------------------------------------------------------------
// An evaluation's results, as the store keeps them.

export interface PendingTeam {
  team: string;
  name: string;
}

/** One agreement's result, reduced to what the friction record uses. */
export interface CompactResult {
  id: string;
  title: string;
  outcome: Outcome;
  unwaived: Outcome;
  severity: SeverityCode;
  mode: ModeCode;
  /** Teams whose approvals were still missing. */
  pending: PendingTeam[];
  /** Top directories of the changed paths the agreement looked at. */
  dirs: string[];
}

export function compactResults(evaluation: Evaluation): CompactResult[] {
  return evaluation.agreements.map((agreement) => {
    const pending = new Map<string, string>();
    for (const requirement of agreement.requirements) {
      for (const p of requirement.pending ?? []) if (p.have < p.needed) pending.set(p.team, p.teamName);
    }
    return {
      id: agreement.id,
      title: agreement.title,
      outcome: agreement.outcome,
      unwaived: agreement.unwaivedOutcome,
      severity: severityCode(agreement.severity),
      mode: modeCode(agreement.mode),
      pending: [...pending].map(([team, name]) => ({ team, name })),
      dirs: topDirectories(agreement.scope),
    };
  });
}

/** Most top directories kept per evaluation. */
export const MAX_DIRS_PER_EVALUATION = 40;

/**
 * Stored per evaluation, beside the list of agreement ids (kept once per distinct list):
 * `[dirs, entry per agreement…]` where an entry is `"s"` (skipped), or its four codes
 * (outcome, unwaived outcome, severity, mode; e.g. `"wwre"`) when it looked at every directory
 * and waits for no team, else `[codes, pending teams, directory indexes?]`. About 100 bytes
 * for eight agreements, where plain JSON objects take 400.
 */
export function encodeResults(results: readonly CompactResult[]): { ids: string[]; text: string } {
  const dirs: string[] = [];
  const index = new Map<string, number>();
  for (const r of results) {
    for (const dir of r.dirs) {
      if (!index.has(dir) && dirs.length < MAX_DIRS_PER_EVALUATION) {
        index.set(dir, dirs.length);
        dirs.push(dir);
      }
    }
  }
  const entries = results.map((r): string | [string, string[], number[]?] => {
    if (r.outcome === "skipped" && r.unwaived === "skipped") return "s";
    const codes = `${outcomeCode(r.outcome)}${outcomeCode(r.unwaived)}${r.severity}${r.mode}`;
    const own = r.dirs.filter((dir) => index.has(dir)).map((dir) => index.get(dir)!);
    const allDirs = own.length === dirs.length;
    const pending = r.pending.map((p) => p.team);
    if (allDirs && pending.length === 0) return codes;
    return allDirs ? [codes, pending] : [codes, pending, own];
  });
  return { ids: results.map((r) => r.id), text: JSON.stringify([dirs, ...entries]) };
}

export type StoredResult = RecordedAgreementResult;

export function decodeResults(ids: readonly string[], text: string): StoredResult[] {
  const [dirs, ...entries] = JSON.parse(text) as [string[], ...(string | [string, string[], number[]?])[]];
  return entries.map((entry, i) => {
    const id = ids[i] ?? `#${i}`;
    if (entry === "s") return { id, outcome: "skipped", unwaived: "skipped", severity: "required", mode: "enforce", pending: [], dirs: [] };
    const [codes, pending, own] = typeof entry === "string" ? [entry, [], undefined] : entry;
    return {
      id,
      outcome: outcomeOf(codes[0]!),
      unwaived: outcomeOf(codes[1]!),
      severity: severityOf(codes[2]!),
      mode: modeOf(codes[3]!),
      pending,
      dirs: own === undefined ? [...dirs] : own.map((n) => dirs[n]!),
    };
  });
}

/** A 52-bit key for a delivery id (exact in a JavaScript number); unique per PR, where a collision is out of reach. */
export function deliveryKey(deliveryId: string | undefined): number | null {
  if (deliveryId === undefined) return null;
  return Number.parseInt(sha256(deliveryId).slice(0, 13), 16);
}

// ---------------------------------------------------------------------------------------------
// PR facts, compactly: enough to replay agreements later.

const STATUS_CODE: Record<FileStatus, string> = { added: "A", removed: "D", modified: "M", renamed: "R", copied: "C", changed: "T", unchanged: "U" };
const CODE_STATUS = Object.fromEntries(Object.entries(STATUS_CODE).map(([k, v]) => [v, k])) as Record<string, FileStatus>;
const REVIEW_CODE: Record<ReviewState, string> = { APPROVED: "A", CHANGES_REQUESTED: "X", COMMENTED: "C", DISMISSED: "D", PENDING: "P" };
const CODE_REVIEW = Object.fromEntries(Object.entries(REVIEW_CODE).map(([k, v]) => [v, k])) as Record<string, ReviewState>;

/** Longest body kept; GitHub's own limit is 65,536 characters. */
export const MAX_BODY = 65_536;

/** Stand-ins with the same verdict as the notebook they replace (clean, N cells with outputs, unreadable). */
function notebookStandIn(text: string | null): string | null {
  if (text === null) return null;
  const verdict = inspectNotebook(text);
  if (verdict.kind === "clean") return '{"cells":[]}';
  if (verdict.kind === "outputs") return JSON.stringify({ cells: Array.from({ length: verdict.cells }, () => ({ execution_count: 1 })) });
  return text.startsWith("version https://git-lfs") ? "version https://git-lfs" : "{}";
}

interface CompactFacts {
  t: string;
  b: string;
  a: string;
  l: string[];
  d?: 1;
  r: string;
  /** [path, status, additions, deletions, previous path?] */
  f: [string, string, number, number, string?][];
  c?: number;
  x?: boolean;
  s?: Record<string, number | null>;
  n?: Record<string, string | null>;
  /** [reviewer, state, submitted at?] */
  v: [string, string, string?][];
  m: Record<string, string[]>;
}

export function encodeFacts(facts: PullRequestFacts): Buffer {
  const compact: CompactFacts = {
    t: facts.title,
    b: facts.body.length > MAX_BODY ? facts.body.slice(0, MAX_BODY) : facts.body,
    a: facts.author,
    l: facts.labels,
    r: facts.baseBranch,
    f: facts.files.map((file) => {
      const row: [string, string, number, number, string?] = [file.path, STATUS_CODE[file.status] ?? "M", file.additions, file.deletions];
      if (file.previousPath !== undefined) row.push(file.previousPath);
      return row;
    }),
    v: facts.reviews.map((review) => {
      const row: [string, string, string?] = [review.reviewer, REVIEW_CODE[review.state] ?? "C"];
      if (review.submittedAt !== undefined) row.push(review.submittedAt);
      return row;
    }),
    m: facts.teamMembers,
  };
  if (facts.draft) compact.d = 1;
  if (facts.changedFileCount !== undefined) compact.c = facts.changedFileCount;
  if (facts.agreementFileChanged !== undefined) compact.x = facts.agreementFileChanged;
  if (facts.fileSizes !== undefined) compact.s = facts.fileSizes;
  if (facts.notebooks !== undefined) {
    compact.n = Object.fromEntries(Object.entries(facts.notebooks).map(([path, text]) => [path, notebookStandIn(text)]));
  }
  const json = Buffer.from(JSON.stringify(compact), "utf8");
  // Small facts are kept as they are (a deflate call costs more than it saves); larger ones deflated.
  return json.length < COMPRESS_FROM ? Buffer.concat([PLAIN, json]) : Buffer.concat([DEFLATED, deflateRawSync(json)]);
}

const COMPRESS_FROM = 1024;
const PLAIN = Buffer.from([0]);
const DEFLATED = Buffer.from([1]);

export function decodeFacts(blob: Uint8Array): PullRequestFacts {
  const body = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const json = body[0] === 1 ? inflateRawSync(body.subarray(1)) : body.subarray(1);
  const c = JSON.parse(json.toString("utf8")) as CompactFacts;
  const files: ChangedFile[] = c.f.map(([path, status, additions, deletions, previousPath]) => ({
    path,
    status: CODE_STATUS[status] ?? "modified",
    additions,
    deletions,
    ...(previousPath !== undefined ? { previousPath } : {}),
  }));
  const reviews: Review[] = c.v.map(([reviewer, state, submittedAt]) => ({
    reviewer,
    state: CODE_REVIEW[state] ?? "COMMENTED",
    ...(submittedAt !== undefined ? { submittedAt } : {}),
  }));
  return {
    title: c.t,
    body: c.b,
    author: c.a,
    labels: c.l,
    draft: c.d === 1,
    baseBranch: c.r,
    files,
    ...(c.c !== undefined ? { changedFileCount: c.c } : {}),
    ...(c.x !== undefined ? { agreementFileChanged: c.x } : {}),
    ...(c.s !== undefined ? { fileSizes: c.s } : {}),
    ...(c.n !== undefined ? { notebooks: c.n } : {}),
    reviews,
    teamMembers: c.m,
  };
}

/** The agreement teams (keys) a login belongs to, by the PR's resolved members (case-insensitive, as GitHub logins are). */
export function teamsOf(login: string, teamMembers: Record<string, readonly string[]>): string[] {
  const wanted = login.toLowerCase();
  return Object.entries(teamMembers)
    .filter(([, members]) => members.some((member) => member.toLowerCase() === wanted))
    .map(([team]) => team)
    .sort();
}

/** Teams stored as one short text: `a,b`. */
export const joinList = (items: readonly string[]) => [...new Set(items)].sort().join(",");
export const splitList = (text: string | null | undefined) => (text ? text.split(",").filter(Boolean) : []);
