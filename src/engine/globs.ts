/**
 * Glob matching over a PR's changed files, fast enough for 3,000 files × 1,000 globs, and safe
 * against hostile globs and paths: matching is linear in the path's length times the pattern's
 * size (glob-pattern.ts, glob-segment.ts), and braces and lengths are capped before anything
 * large is built (GLOB_LIMITS; a glob over them is a validation error, see globProblem).
 *
 * Path globs follow the habits GitHub users bring from CODEOWNERS and `.gitignore` (SPEC §1.1):
 * `*.pkl` matches at any depth, `/docs/**` is anchored at the root, `backend/` is the directory
 * and everything under it. Otherwise — and for branch globs, always — the answers are exactly
 * minimatch's (`dot: true`) on the pattern written out (the tests compare the two).
 *
 * Each glob is compiled once. A FileIndex over one PR's paths then narrows each glob to a handful
 * of candidate paths — by literal directory prefix, exact basename, extension or directory name —
 * before any matching runs, and remembers each glob's answer, since agreements often share globs.
 */
import { compilePattern, isPlainPath, normalisePathGlob, splitPath, type CompiledPattern, type GlobAlternative, type GlobFlavor } from "./glob-pattern.js";

export { GLOB_LIMITS, normalisePathGlob, type GlobFlavor } from "./glob-pattern.js";

/** What every path matched by one brace alternative of a glob must have, to find candidates without matching. */
export interface CandidateHint {
  /** Literal directory prefix ("pipelines/"), or "" when none. */
  prefix: string;
  /** Literal basename ("MODEL_CARD.md"), when the last segment has no magic. */
  basename?: string;
  /** Extension ("pkl" for `*.pkl`), when the last segment is `*.<literal>`. */
  extension?: string;
  /** A literal directory name every match has somewhere ("backend" for `**\/backend/**`). */
  directory?: string;
}

export interface CompiledGlob {
  /** The glob as the user wrote it; messages quote this. */
  source: string;
  /** What is matched: for a path glob, the source with the CODEOWNERS habits written out (`*.pkl` → `**\/*.pkl`). */
  pattern: string;
  /** Whether a path (or branch name) matches, with exactly minimatch's answer (`dot: true`) for `pattern`. */
  matches(path: string): boolean;
  /** The same, given whether the path is plain (isPlainPath) and its segments on demand; a FileIndex splits each path once. */
  matchesPath(path: string, plain: boolean, segments: () => readonly string[]): boolean;
  /** One hint per brace alternative (`{docs,infra}/**` has two). Valid for repository paths (no leading, doubled or trailing `/`). */
  hints: CandidateHint[];
  /** `!x`: matches what `x` does not. */
  negate: boolean;
  /** Negated globs (and the empty one) are tested on every path. */
  scanAll: boolean;
}

/** A glob that could not be compiled; validation reports the same text (globProblem). */
export class GlobError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`The glob ${JSON.stringify(source)} ${problem}`);
  }
}

type Compiled = { glob: CompiledGlob; work: number } | { problem: string; work: number };
const compiledGlobs = new Map<string, Compiled>();
let cachedWork = 0;

const LITERAL_EXTENSION = /^\*+\.([^*?[\]{}()!+@\\/]+)$/;

function hintFor({ parts, texts }: GlobAlternative): CandidateHint {
  const lead: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (typeof part !== "string" || part === "" || part === "." || part === "..") break;
    lead.push(part);
  }
  const hint: CandidateHint = { prefix: lead.length > 0 ? `${lead.join("/")}/` : "" };
  // A literal part with more parts after it matches a directory of the path: what follows takes
  // at least one segment (a trailing `**` too), on repository paths.
  const directory = parts.slice(lead.length, -1).find((part): part is string => typeof part === "string" && part !== "" && part !== "." && part !== "..");
  if (directory !== undefined) hint.directory = directory;
  const last = parts[parts.length - 1];
  const extension = LITERAL_EXTENSION.exec(texts[texts.length - 1] ?? "");
  if (typeof last === "string" && last !== "" && last !== "." && last !== "..") hint.basename = last;
  else if (extension) hint.extension = lastExtension(extension[1]!);
  return hint;
}

function compiledGlobOf(source: string, compiled: CompiledPattern): CompiledGlob {
  const { matchesPath } = compiled;
  return {
    source,
    pattern: compiled.pattern,
    matches: (path) => matchesPath(path, isPlainPath(path), () => splitPath(path)),
    matchesPath,
    hints: compiled.alternatives.map(hintFor),
    negate: compiled.negate,
    scanAll: compiled.negate || compiled.empty,
  };
}

function compileFlavored(source: string, flavor: GlobFlavor): Compiled {
  const key = `${flavor}\0${source}`;
  const cached = compiledGlobs.get(key);
  if (cached) return cached;
  const result = compilePattern(flavor === "path" ? normalisePathGlob(source) : source, source);
  const compiled: Compiled = result.ok ? { glob: compiledGlobOf(source, result.compiled), work: result.work } : { problem: result.problem, work: result.work };
  // Bounded by entries and by the work they hold (a large glob holds more), whatever files come in.
  cachedWork += source.length + compiled.work;
  if (compiledGlobs.size > 50_000 || cachedWork > 20_000_000) {
    compiledGlobs.clear();
    cachedWork = source.length + compiled.work;
  }
  compiledGlobs.set(key, compiled);
  return compiled;
}

function orThrow(source: string, compiled: Compiled): CompiledGlob {
  if ("problem" in compiled) throw new GlobError(source, compiled.problem);
  return compiled.glob;
}

/**
 * A path glob (`when.paths`, `paths_ignore`, `companions`, `forbidden`, `size.ignore`), with the
 * CODEOWNERS habits. Throws GlobError for a glob validation rejects (see globProblem).
 */
export function compileGlob(source: string): CompiledGlob {
  return orThrow(source, compileFlavored(source, "path"));
}

/** A branch-name glob (`when.base_branches`): plain minimatch, so `main` does not match `feature/main`. */
export function compileBranchGlob(source: string): CompiledGlob {
  return orThrow(source, compileFlavored(source, "branch"));
}

/**
 * Why a glob is refused (over a cap, or not matchable in linear time), as the predicate of a
 * sentence about it ("is `x/{1..100000}/*.pkl`, which expands to more than 256 alternatives; …"),
 * or undefined when it compiles.
 */
export function globProblem(source: string, flavor: GlobFlavor = "path"): string | undefined {
  return checkGlob(source, flavor).problem;
}

/**
 * globProblem, with the work compiling the glob took (characters built by brace expansion), so a
 * file's validation can stop once its globs have cost enough (see cross-checks).
 */
export function checkGlob(source: string, flavor: GlobFlavor = "path"): { problem: string | undefined; work: number } {
  if (source === "") return { problem: undefined, work: 0 };
  const compiled = compileFlavored(source, flavor);
  return { problem: "problem" in compiled ? compiled.problem : undefined, work: compiled.work };
}

function lastExtension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot === -1 ? name : name.slice(dot + 1);
}

function basenameOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? path : path.slice(slash + 1);
}

interface Entry {
  path: string;
  /** The path split on `/`, once for every glob, when a glob first needs it. */
  segments?: readonly string[];
  /** No empty, `.` or `..` segment: the commonest glob shapes then match the text unsplit. */
  plain: boolean;
  file: number;
  /** The file's path at the head; false for the old path of a rename. */
  current: boolean;
}

/**
 * The paths of one PR, indexed for glob look-ups. Each entry is a path and the file it
 * belongs to, so a renamed file is found under its new and its old path.
 */
export class FileIndex {
  private readonly entries: Entry[];
  private readonly byBasename = new Map<string, number[]>();
  private readonly byExtension = new Map<string, number[]>();
  /** Entries by each directory name in their path; built the first time a glob asks. */
  private byDirectory: Map<string, number[]> | undefined;
  /** Per glob pattern (what is matched; two sources can share one): sorted positions of the matching entries. */
  private readonly entryAnswers = new Map<string, readonly number[]>();
  /** Per glob pattern (or list of patterns): sorted indices of the matching files. */
  private readonly fileAnswers = new Map<string, readonly number[]>();
  /** Scratch marks, one per entry and one per file; always left all zero. */
  private readonly mark: Uint8Array;
  private readonly fileMark: Uint8Array;
  private readonly files: number;

  constructor(paths: readonly { path: string; previousPath?: string | undefined }[]) {
    const entries: Entry[] = [];
    paths.forEach((file, index) => {
      entries.push({ path: file.path, plain: isPlainPath(file.path), file: index, current: true });
      if (file.previousPath && file.previousPath !== file.path) {
        entries.push({ path: file.previousPath, plain: isPlainPath(file.previousPath), file: index, current: false });
      }
    });
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.entries = entries;
    this.files = paths.length;
    this.mark = new Uint8Array(entries.length);
    this.fileMark = new Uint8Array(paths.length);
    entries.forEach((entry, position) => {
      const base = basenameOf(entry.path);
      push(this.byBasename, base, position);
      const dot = base.lastIndexOf(".");
      if (dot !== -1) push(this.byExtension, base.slice(dot + 1), position);
    });
  }

  private segmentsOf(position: number): readonly string[] {
    const entry = this.entries[position]!;
    return (entry.segments ??= splitPath(entry.path));
  }

  get fileCount(): number {
    return this.files;
  }

  /** Sorted positions of the entries (paths, new or old) matching the glob. */
  private entriesMatching(glob: CompiledGlob): readonly number[] {
    const known = this.entryAnswers.get(glob.pattern);
    if (known) return known;
    const hits: number[] = [];
    const test = (position: number) => {
      const entry = this.entries[position]!;
      if (this.mark[position] === 0 && glob.matchesPath(entry.path, entry.plain, () => this.segmentsOf(position))) {
        this.mark[position] = 1;
        hits.push(position);
      }
    };
    if (glob.scanAll) {
      for (let position = 0; position < this.entries.length; position++) test(position);
    } else {
      // Brace alternatives can propose the same entry twice; the marks keep it once.
      for (const hint of glob.hints) this.candidatesFor(hint, test);
    }
    const sorted = drainSorted(this.mark, hits);
    this.entryAnswers.set(glob.pattern, sorted);
    return sorted;
  }

  /** The sorted, distinct files of some entries (optionally only entries that are a file's head path). */
  private filesOf(positions: readonly number[], onlyCurrent = false): number[] {
    const files: number[] = [];
    for (const position of positions) {
      const entry = this.entries[position]!;
      if ((!onlyCurrent || entry.current) && this.fileMark[entry.file] === 0) {
        this.fileMark[entry.file] = 1;
        files.push(entry.file);
      }
    }
    return drainSorted(this.fileMark, files);
  }

  /** The sorted union of sorted file lists. */
  private unionOf(lists: readonly (readonly number[])[]): number[] {
    const files: number[] = [];
    for (const list of lists) {
      for (const file of list) {
        if (this.fileMark[file] === 0) {
          this.fileMark[file] = 1;
          files.push(file);
        }
      }
    }
    return drainSorted(this.fileMark, files);
  }

  /** Sorted indices of the files with a path (new or old) matching the glob. */
  filesMatching(glob: CompiledGlob): readonly number[] {
    const known = this.fileAnswers.get(`one\0${glob.pattern}`);
    if (known) return known;
    const files = this.filesOf(this.entriesMatching(glob));
    this.fileAnswers.set(`one\0${glob.pattern}`, files);
    return files;
  }

  /** Sorted indices of the files matching at least one of the globs. */
  filesMatchingAny(globs: readonly CompiledGlob[]): readonly number[] {
    if (globs.length === 1) return this.filesMatching(globs[0]!);
    const key = `any\0${globs.map((glob) => glob.pattern).join("\0")}`;
    const known = this.fileAnswers.get(key);
    if (known) return known;
    const files = this.unionOf(globs.map((glob) => this.filesMatching(glob)));
    this.fileAnswers.set(key, files);
    return files;
  }

  /** Sorted indices of the files whose path at the head (not a renamed-from path) matches the glob. */
  filesWithCurrentPathMatching(glob: CompiledGlob): readonly number[] {
    return this.filesOf(this.entriesMatching(glob), true);
  }

  /**
   * Sorted indices of the files with at least one path (new or old) that no `exclude` glob
   * matches and, when `include` is given, that an `include` glob matches: `paths_ignore`
   * removes paths before `paths` is tested, and a renamed file counts under both of its paths.
   */
  select(include: readonly CompiledGlob[] | undefined, exclude: readonly CompiledGlob[] | undefined): readonly number[] {
    const key = `select\0${include?.map((glob) => glob.pattern).join("\0") ?? "*"}\u0001${exclude?.map((glob) => glob.pattern).join("\0") ?? ""}`;
    const known = this.fileAnswers.get(key);
    if (known) return known;
    let result: readonly number[];
    if (!exclude || exclude.length === 0) {
      result = include ? this.filesMatchingAny(include) : Array.from({ length: this.files }, (_, i) => i);
    } else {
      // Every answer first: entriesMatching uses the same scratch marks.
      const excluded = exclude.map((glob) => this.entriesMatching(glob));
      const included = include?.map((glob) => this.entriesMatching(glob));
      for (const list of excluded) for (const position of list) this.mark[position] = 1;
      const kept: number[] = [];
      if (included) {
        for (const list of included) for (const position of list) if (this.mark[position] === 0) kept.push(position);
      } else {
        for (let position = 0; position < this.entries.length; position++) if (this.mark[position] === 0) kept.push(position);
      }
      result = this.filesOf(kept);
      for (const list of excluded) for (const position of list) this.mark[position] = 0;
    }
    this.fileAnswers.set(key, result);
    return result;
  }

  /** Visits the smallest candidate set the hint allows: a prefix range, a basename, extension or directory list. */
  private candidatesFor(hint: CandidateHint, visit: (position: number) => void): void {
    const byName = hint.basename !== undefined ? this.byBasename.get(hint.basename) ?? [] : undefined;
    const byExt = hint.extension !== undefined ? this.byExtension.get(hint.extension) ?? [] : undefined;
    let narrowest = byName ?? byExt;
    // The directory index costs a pass over every path: only for globs that would otherwise test them all (`backend/`).
    if (narrowest === undefined && hint.prefix === "" && hint.directory !== undefined) narrowest = this.directoryIndex().get(hint.directory) ?? [];
    if (hint.prefix !== "") {
      const [from, to] = this.prefixRange(hint.prefix);
      if (narrowest === undefined || to - from <= narrowest.length) {
        for (let position = from; position < to; position++) visit(position);
        return;
      }
    }
    if (narrowest !== undefined) {
      for (const position of narrowest) visit(position);
      return;
    }
    for (let position = 0; position < this.entries.length; position++) visit(position);
  }

  private directoryIndex(): Map<string, number[]> {
    if (this.byDirectory) return this.byDirectory;
    const index = new Map<string, number[]>();
    for (let position = 0; position < this.entries.length; position++) {
      const segments = this.segmentsOf(position);
      // A name twice in one path is listed once for it.
      const seen = segments.length > 2 ? new Set<string>() : undefined;
      for (let i = 0; i < segments.length - 1; i++) {
        const name = segments[i]!;
        if (seen) {
          if (seen.has(name)) continue;
          seen.add(name);
        }
        push(index, name, position);
      }
    }
    this.byDirectory = index;
    return index;
  }

  /** Positions of the sorted entries that start with `prefix`, by binary search. */
  private prefixRange(prefix: string): [number, number] {
    const lowerBound = (key: string) => {
      let low = 0;
      let high = this.entries.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.entries[middle]!.path < key) low = middle + 1;
        else high = middle;
      }
      return low;
    };
    // U+FFFF sorts after every character that can follow the prefix in a path.
    return [lowerBound(prefix), lowerBound(`${prefix}\uffff`)];
  }
}

/** The common elements of two sorted index lists. */
export function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return out;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The marked indices `picked`, sorted, with their marks cleared. A list already in order is kept;
 * a long one is read back from the marks in one pass instead of being sorted.
 */
function drainSorted(marks: Uint8Array, picked: number[]): number[] {
  let sorted = true;
  for (let i = 1; i < picked.length && sorted; i++) sorted = picked[i - 1]! < picked[i]!;
  if (!sorted && picked.length * 8 >= marks.length) {
    const out: number[] = [];
    for (let i = 0; i < marks.length; i++) {
      if (marks[i] === 1) {
        marks[i] = 0;
        out.push(i);
      }
    }
    return out;
  }
  for (const index of picked) marks[index] = 0;
  return sorted ? picked : Array.from(Int32Array.from(picked).sort());
}


/** A single path (or branch name) against a list of globs, for small inputs. */
export function matchesAny(value: string, globs: readonly CompiledGlob[]): boolean {
  return globs.some((glob) => glob.matches(value));
}
