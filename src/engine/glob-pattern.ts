/**
 * A whole glob, compiled to a matcher whose work is linear in the path's length (times the
 * pattern's size), with exactly minimatch's answers (`dot: true`, minimatch 10).
 *
 * The steps are minimatch's: a leading `!` negates; braces expand (here capped, before anything
 * is built); each alternative splits on `/` and loses repeated `**` and `x/..`; each segment
 * compiles (glob-segment.ts). Paths split on `/` too.
 *
 * minimatch then matches `**` by backtracking over the path's segments, which is polynomial in
 * the number of `**`. Here the part between the first and the last `**` is run as a segment-level
 * NFA: one sweep per section between two `**`, over the set of positions where that section may
 * start, so the work is (segments in the path) × (segments in the pattern). The sweep keeps
 * minimatch's rules, including its quirks, so the answers stay the same:
 * - `**` never takes a `.` or `..` segment;
 * - a trailing `**` needs at least one segment (`docs/**` does not match `docs`);
 * - a path ending in `/` may leave its last, empty segment unmatched;
 * - each section may start no later than minimatch's bound for it (which, for three or more `**`
 *   with sections of different lengths, is tighter than the path allows: minimatch answers no to
 *   `x/a/b/c/t` for `**\/a/b/**\/c/**\/t`, and so does Accord);
 * - after 200 sections minimatch stops following `**`, so such a glob matches nothing.
 */
import { braceExpand } from "minimatch";
import { compileSegment, GlobSyntaxError, matchWork, type SegmentMatcher } from "./glob-segment.js";

export { GlobSyntaxError, matchWork } from "./glob-segment.js";

/** The caps on one glob; past them a glob is a validation error. */
export const GLOB_LIMITS = {
  /** Characters in the glob as written. */
  length: 1_000,
  /** Alternatives after brace expansion. */
  alternatives: 256,
  /** Characters over all alternatives after brace expansion. */
  expandedLength: 20_000,
} as const;

/** minimatch's limit on `**` sections followed (`maxGlobstarRecursion`). */
const MAX_SECTIONS = 200;

export const GLOBSTAR: unique symbol = Symbol("**");
export type Part = SegmentMatcher | typeof GLOBSTAR;

/** Path globs or branch globs (branch names: plain minimatch, no CODEOWNERS habits). */
export type GlobFlavor = "path" | "branch";

/**
 * The CODEOWNERS and `.gitignore` habits, written out as minimatch globs (SPEC §1.1):
 * no `/` but a trailing one → at any depth (`*.pkl` → `**\/*.pkl`); a leading `/` anchors at the
 * root (`/docs/**` → `docs/**`); a trailing `/` is the directory and everything under it
 * (`backend/` → `**\/backend/**`). A leading `!` stays in front.
 */
export function normalisePathGlob(source: string): string {
  let bangs = 0;
  while (source.charAt(bangs) === "!") bangs++;
  const negation = source.slice(0, bangs);
  let body = source.slice(bangs);
  const anchored = body.startsWith("/");
  if (anchored) body = body.replace(/^\/+/, "");
  const directory = body.endsWith("/");
  if (directory) body = body.replace(/\/+$/, "");
  if (!anchored && body !== "" && !body.includes("/")) body = `**/${body}`;
  if (directory) body = body === "" ? "**" : `${body}/**`;
  if (anchored && body === "") body = "**";
  return negation + body;
}

/** One brace alternative, split into segments. */
export interface GlobAlternative {
  /** The glob text of each segment. */
  texts: readonly string[];
  parts: readonly Part[];
  /** Whether a path, split on `/`, matches this alternative. */
  match(file: readonly string[]): boolean;
  /** The same on the unsplit text of a plain path (see isPlainPath), for the commonest shapes. */
  matchPlain?: (path: string) => boolean;
}

export interface CompiledPattern {
  /** The pattern matched (after normalisation), with its leading `!`. */
  pattern: string;
  negate: boolean;
  /** An empty pattern: matches only the empty path. */
  empty: boolean;
  alternatives: readonly GlobAlternative[];
  /**
   * Whether a path matches: its text, whether it is plain (isPlainPath), and its segments, which
   * are asked for only when a shape needs them (a FileIndex splits each path at most once).
   */
  matchesPath(path: string, plain: boolean, segments: () => readonly string[]): boolean;
}

/** `work`: the characters brace expansion built, a measure of what compiling the glob cost. */
export type PatternResult = { ok: true; compiled: CompiledPattern; work: number } | { ok: false; problem: string; work: number };

const formatCount = (count: number) => count.toLocaleString("en-US");
const quote = (text: string) => `\`${text.length > 80 ? `${text.slice(0, 60)}…` : text}\``;

/** The source with each brace group made a wildcard, to suggest instead of a huge expansion. */
function withoutBraces(source: string): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === "\\") {
      out += source.slice(i, i + 2);
      i++;
      continue;
    }
    if (c !== "{") {
      out += c;
      continue;
    }
    let depth = 0;
    let j = i;
    let slash = false;
    for (; j < source.length; j++) {
      const d = source.charAt(j);
      if (d === "\\") j++;
      else if (d === "{") depth++;
      else if (d === "}" && --depth === 0) break;
      else if (d === "/") slash = true;
    }
    if (j >= source.length) {
      out += source.slice(i);
      break;
    }
    out += slash ? "**" : "*";
    i = j;
  }
  return out.replace(/\*{3,}/g, "**").replace(/([^/])\*\*|\*\*([^/])/g, (run) => run.replace("**", "*"));
}

/**
 * Compiles a pattern as minimatch reads it. The caps are checked before anything large is built,
 * so a hostile glob costs no more than its own length.
 */
export function compilePattern(pattern: string, source: string): PatternResult {
  if (source.length > GLOB_LIMITS.length) {
    return {
      ok: false,
      work: 0,
      problem: `is ${formatCount(source.length)} characters long (it starts ${quote(source.slice(0, 40))}); Accord reads globs of at most ${formatCount(GLOB_LIMITS.length)} characters. Use \`*\` or \`**\` for the long parts`,
    };
  }
  if (pattern.charAt(0) === "#") {
    return {
      ok: false,
      work: 0,
      problem: `is ${quote(source)}, which minimatch reads as a comment that matches nothing; write \`\\#\` for a name that starts with \`#\``,
    };
  }
  let bangs = 0;
  while (pattern.charAt(bangs) === "!") bangs++;
  const negate = bangs % 2 === 1;
  const body = pattern.slice(bangs);
  const empty = pattern === "";
  // minimatch expands with a cap of 100,000; one past ours is enough to know it is too many.
  const expanded = braceExpand(body, { braceExpandMax: GLOB_LIMITS.alternatives + 1 });
  const work = expanded.reduce((sum, alternative) => sum + alternative.length, 0);
  if (expanded.length > GLOB_LIMITS.alternatives) {
    const suggestion = withoutBraces(source);
    return {
      ok: false,
      work,
      problem: `is ${quote(source)}, which expands to more than ${formatCount(GLOB_LIMITS.alternatives)} alternatives; list the folders you mean${suggestion !== source ? `, or use ${quote(suggestion)}` : ""}`,
    };
  }
  if (work > GLOB_LIMITS.expandedLength) {
    return {
      ok: false,
      work,
      problem: `is ${quote(source)}, whose braces expand to ${formatCount(work)} characters; Accord reads at most ${formatCount(GLOB_LIMITS.expandedLength)}. List fewer alternatives, or use \`*\` in place of the braces`,
    };
  }
  const alternatives: GlobAlternative[] = [];
  // Brace alternatives often share segments (`{src,lib}/**/*.ts`): each is compiled once.
  const segments = new Map<string, SegmentMatcher>();
  const segmentFor = (text: string): SegmentMatcher => {
    let matcher = segments.get(text);
    if (matcher === undefined) segments.set(text, (matcher = compileSegment(text)));
    return matcher;
  };
  try {
    for (const text of new Set(expanded)) {
      const texts = optimise(text.split(/\/+/));
      const parts = texts.map((segment) => (segment === "**" ? GLOBSTAR : segmentFor(segment)));
      const alternative: GlobAlternative = { texts, parts, match: alternativeMatcher(parts) };
      const plain = plainMatcher(parts);
      if (plain) alternative.matchPlain = plain;
      alternatives.push(alternative);
    }
  } catch (error) {
    if (!(error instanceof GlobSyntaxError)) throw error;
    return { ok: false, work, problem: `is ${quote(source)}, which ${error.message}` };
  }
  const matchesPath = (path: string, plain: boolean, segments: () => readonly string[]): boolean => {
    if (empty) return path === "";
    for (const alternative of alternatives) {
      const hit = plain && alternative.matchPlain ? alternative.matchPlain(path) : alternative.match(segments());
      if (hit) return !negate;
    }
    return negate;
  };
  return { ok: true, work, compiled: { pattern, negate, empty, alternatives, matchesPath } };
}

/** minimatch's level-one optimisation: repeated `**` kept once, `x/..` dropped. */
function optimise(segments: string[]): string[] {
  const out: string[] = [];
  for (const segment of segments) {
    const previous = out[out.length - 1];
    if (segment === "**" && previous === "**") continue;
    if (segment === ".." && previous && previous !== ".." && previous !== "." && previous !== "**") {
      out.pop();
      continue;
    }
    out.push(segment);
  }
  return out.length === 0 ? [""] : out;
}

const isDot = (segment: string) => segment === "." || segment === "..";

function segmentMatches(part: SegmentMatcher, segment: string): boolean {
  return typeof part === "string" ? part === segment : part(segment);
}

/** Whether `parts` (no `**`) match `file` from `at`, one segment each. */
function runMatches(parts: readonly SegmentMatcher[], file: readonly string[], at: number): boolean {
  matchWork.steps += parts.length;
  for (let k = 0; k < parts.length; k++) if (!segmentMatches(parts[k]!, file[at + k]!)) return false;
  return true;
}

// Scratch sets of positions for the section sweep, reused between calls (matching never re-enters).
let starts = new Uint8Array(64);
let nexts = new Uint8Array(64);

function alternativeMatcher(parts: readonly Part[]): (file: readonly string[]) => boolean {
  const first = parts.indexOf(GLOBSTAR);
  if (first === -1) {
    const plain = parts as readonly SegmentMatcher[];
    const m = plain.length;
    return (file) => {
      const n = file.length;
      // A path ending in `/` has an empty last segment, which the pattern may leave over.
      if (n === m) return runMatches(plain, file, 0);
      return n === m + 1 && file[m] === "" && runMatches(plain, file, 0);
    };
  }
  const last = parts.lastIndexOf(GLOBSTAR);
  const head = parts.slice(0, first) as SegmentMatcher[];
  const tail = parts.slice(last + 1) as SegmentMatcher[];
  const sections: SegmentMatcher[][] = [[]];
  for (const part of parts.slice(first + 1, last)) {
    if (part === GLOBSTAR) sections.push([]);
    else sections[sections.length - 1]!.push(part);
  }
  if (first === last) sections.length = 0;
  const k = sections.length;
  // minimatch's latest start of section j: the path's length (less the tail) minus the lengths of sections 0 .. k-2-j and of j.
  const lengths = sections.map((section) => section.length);
  const slack = sections.map((_, j) => lengths.slice(0, Math.max(0, k - 1 - j)).reduce((a, b) => a + b, 0) + lengths[j]!);

  return (file) => {
    const n = file.length;
    if (n < head.length || !runMatches(head, file, 0)) return false;
    const from = head.length;
    let tailMatch = 0;
    if (tail.length > 0) {
      if (tail.length + from > n) return false;
      if (runMatches(tail, file, n - tail.length)) tailMatch = tail.length;
      else if (file[n - 1] === "" && from + tail.length !== n && runMatches(tail, file, n - 1 - tail.length)) tailMatch = tail.length + 1;
      else return false;
    }
    if (k === 0) {
      // One `**` between head and tail: it takes at least one segment unless the tail matched, and no dots.
      const end = n - tailMatch;
      matchWork.steps += end - from;
      for (let i = from; i < end; i++) if (isDot(file[i]!)) return false;
      return end > from || tailMatch > 0;
    }
    if (k > MAX_SECTIONS) return false;
    const end = n - tailMatch;
    if (starts.length < n + 1) {
      starts = new Uint8Array(2 * (n + 1));
      nexts = new Uint8Array(2 * (n + 1));
    }
    starts.fill(0, 0, n + 1);
    starts[from] = 1;
    for (let j = 0; j < k; j++) {
      const section = sections[j]!;
      const latest = Math.min(end - slack[j]!, n - section.length);
      nexts.fill(0, 0, n + 1);
      let found = false;
      let open = false;
      matchWork.steps += latest + 1;
      for (let p = 0; p <= latest; p++) {
        if (starts[p] === 1) open = true;
        if (!open) continue;
        if (runMatches(section, file, p)) {
          nexts[p + section.length] = 1;
          found = true;
        }
        // `**` cannot step over `.` or `..`.
        if (isDot(file[p]!)) open = false;
      }
      if (!found) return false;
      [starts, nexts] = [nexts, starts];
    }
    // The last `**` runs to the end of the path (tail included) without a dot, and takes a segment unless a tail matched.
    let lastDot = -1;
    for (let i = n - 1; i >= 0; i--) {
      if (isDot(file[i]!)) {
        lastDot = i;
        break;
      }
    }
    matchWork.steps += n;
    for (let r = lastDot + 1; r <= n; r++) if (starts[r] === 1 && (tailMatch > 0 || r < n)) return true;
    return false;
  };
}

/** A path (or branch name) as minimatch splits it. */
export function splitPath(path: string): string[] {
  return path.includes("//") ? path.split(/\/+/) : path.split("/");
}

/** A path with no empty, `.` or `..` segment (no leading, trailing or doubled `/`): every repository path. */
export function isPlainPath(path: string): boolean {
  return path !== "" && !/(?:^|\/)\.{0,2}(?:\/|$)/.test(path);
}

const isPlainLiteral = (part: Part): part is string => typeof part === "string" && part !== "" && part !== "." && part !== "..";

/**
 * For the commonest shapes — literal folders, then optionally `**`, then at most one last segment
 * (`pipelines/**`, `**\/*.py`, `src/**\/*.ts`, `docs/*.md`, `Makefile`) — a matcher on the
 * path's text that needs no split. On a plain path the rules above come down to this: `**` never
 * meets a dot segment, and a trailing `**` has a segment to take when the path goes on after `/`.
 */
function plainMatcher(parts: readonly Part[]): ((path: string) => boolean) | undefined {
  let head = 0;
  while (head < parts.length && isPlainLiteral(parts[head]!)) head++;
  const prefix = (parts.slice(0, head) as string[]).join("/");
  const rest = parts.slice(head);
  const lastTest = (last: SegmentMatcher) => (typeof last === "string" ? (segment: string) => segment === last : last);
  const slashAfterPrefix = (path: string) => head === 0 || (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 0x2f);
  if (rest.length === 0) return (path) => path === prefix;
  if (rest.length === 1 && rest[0] !== GLOBSTAR) {
    // `docs/*.md`: the prefix, then exactly one more segment.
    const test = lastTest(rest[0]!);
    return (path) => {
      const slash = path.lastIndexOf("/");
      return (head === 0 ? slash === -1 : slash === prefix.length && slashAfterPrefix(path)) && test(path.slice(slash + 1));
    };
  }
  if (rest[0] !== GLOBSTAR || rest.length > 2 || rest[1] === GLOBSTAR) return undefined;
  if (rest.length === 1) {
    // `pipelines/**`: the prefix, then at least one segment.
    return (path) => (head === 0 ? true : path.length > prefix.length + 1 && slashAfterPrefix(path));
  }
  // `src/**/*.ts`: the prefix, then any segments, then a last one that matches.
  const test = lastTest(rest[1] as SegmentMatcher);
  return (path) => {
    const slash = path.lastIndexOf("/");
    return (head === 0 || (slash >= prefix.length && slashAfterPrefix(path))) && test(path.slice(slash + 1));
  };
}
