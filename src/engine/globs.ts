/**
 * Glob matching over a PR's changed files, fast enough for 3,000 files × 1,000 globs.
 *
 * Each glob is compiled once (minimatch, plus the literal parts each brace alternative
 * implies). A FileIndex over one PR's paths then narrows each glob to a handful of candidate
 * paths — by literal directory prefix, exact basename or extension — before any matching runs,
 * and remembers each glob's answer, since agreements often share globs.
 *
 * Answers are exactly minimatch's (`dot: true`): minimatch's regex is only a fast first pass,
 * because it accepts a few paths `match()` rejects (the bare `pipelines` for `pipelines/**`).
 */
import { Minimatch } from "minimatch";

const MAGIC = /[*?[\]{}()!+@\\]/;

/** What every path matched by one brace alternative of a glob must have, to find candidates without matching. */
export interface CandidateHint {
  /** Literal directory prefix ("pipelines/"), or "" when none. */
  prefix: string;
  /** Literal basename ("MODEL_CARD.md"), when the last segment has no magic. */
  basename?: string;
  /** Extension ("pkl" for `*.pkl`), when the last segment is `*.<literal>`. */
  extension?: string;
}

export interface CompiledGlob {
  source: string;
  /** Whether a path (or branch name) matches, with exactly minimatch's answer (`dot: true`). */
  matches(path: string): boolean;
  /** One hint per brace alternative (`{docs,infra}/**` has two). */
  hints: CandidateHint[];
  /** `!x`: matches what `x` does not. */
  negate: boolean;
  /** Negated globs and globs minimatch cannot turn into a regex are tested on every path. */
  scanAll: boolean;
}

const compiledGlobs = new Map<string, CompiledGlob>();

function hintFor(segments: readonly string[]): CandidateHint {
  const lead: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (MAGIC.test(segment) || segment === "" || segment === "." || segment === "..") break;
    lead.push(segment);
  }
  const hint: CandidateHint = { prefix: lead.length > 0 ? `${lead.join("/")}/` : "" };
  const last = segments[segments.length - 1] ?? "";
  const extension = /^\*\.([^*?[\]{}()!+@\\/]+)$/.exec(last);
  if (last !== "" && last !== "." && last !== ".." && !MAGIC.test(last)) hint.basename = last;
  else if (extension) hint.extension = lastExtension(extension[1]!);
  return hint;
}

export function compileGlob(source: string): CompiledGlob {
  const cached = compiledGlobs.get(source);
  if (cached) return cached;
  const matcher = new Minimatch(source, { dot: true });
  // For `!x` the regex already holds the negation, and its over-matches would become misses: use match() alone.
  const regex = matcher.negate ? false : matcher.makeRe();
  const compiled: CompiledGlob = {
    source,
    matches: regex ? exactMatcher(regex, matcher) : (path) => matcher.match(path),
    hints: matcher.globParts.map(hintFor),
    negate: matcher.negate,
    scanAll: matcher.negate || regex === false || matcher.globParts.length === 0,
  };
  if (compiledGlobs.size > 50_000) compiledGlobs.clear();
  compiledGlobs.set(source, compiled);
  return compiled;
}

/**
 * minimatch's regex as a fast test, made exact. The regex also accepts the bare directory of a
 * trailing `/**` (`pipelines` for `pipelines/**`), which match() rejects; elsewhere the two agree
 * (the tests compare them on a large corpus). When everything before such a `/**` is literal, the
 * bare directory is known and only that one path is confirmed with match(); otherwise every hit is.
 */
function exactMatcher(regex: RegExp, matcher: Minimatch): (path: string) => boolean {
  const trailing = matcher.globParts.filter((parts) => parts[parts.length - 1] === "**");
  if (trailing.length === 0) return (path) => regex.test(path);
  const literalLead = (parts: string[]) => parts.slice(0, -1).every((part) => part !== "" && part !== "." && part !== ".." && !MAGIC.test(part));
  if (!trailing.every(literalLead)) return (path) => regex.test(path) && matcher.match(path);
  const bareDirectories = new Set(trailing.map((parts) => parts.slice(0, -1).join("/")));
  return (path) => regex.test(path) && (!bareDirectories.has(path) || matcher.match(path));
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
  /** Per glob source: sorted positions of the matching entries. */
  private readonly entryAnswers = new Map<string, readonly number[]>();
  /** Per glob source (or list of sources): sorted indices of the matching files. */
  private readonly fileAnswers = new Map<string, readonly number[]>();
  /** Scratch marks, one per entry and one per file; always left all zero. */
  private readonly mark: Uint8Array;
  private readonly fileMark: Uint8Array;
  private readonly files: number;

  constructor(paths: readonly { path: string; previousPath?: string | undefined }[]) {
    const entries: Entry[] = [];
    paths.forEach((file, index) => {
      entries.push({ path: file.path, file: index, current: true });
      if (file.previousPath && file.previousPath !== file.path) entries.push({ path: file.previousPath, file: index, current: false });
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

  get fileCount(): number {
    return this.files;
  }

  /** Sorted positions of the entries (paths, new or old) matching the glob. */
  private entriesMatching(glob: CompiledGlob): readonly number[] {
    const known = this.entryAnswers.get(glob.source);
    if (known) return known;
    const hits: number[] = [];
    const test = (position: number) => {
      if (this.mark[position] === 0 && glob.matches(this.entries[position]!.path)) {
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
    for (const position of hits) this.mark[position] = 0;
    const sorted = sortNumbers(hits);
    this.entryAnswers.set(glob.source, sorted);
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
    for (const file of files) this.fileMark[file] = 0;
    return sortNumbers(files);
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
    for (const file of files) this.fileMark[file] = 0;
    return sortNumbers(files);
  }

  /** Sorted indices of the files with a path (new or old) matching the glob. */
  filesMatching(glob: CompiledGlob): readonly number[] {
    const known = this.fileAnswers.get(glob.source);
    if (known) return known;
    const files = this.filesOf(this.entriesMatching(glob));
    this.fileAnswers.set(glob.source, files);
    return files;
  }

  /** Sorted indices of the files matching at least one of the globs. */
  filesMatchingAny(globs: readonly CompiledGlob[]): readonly number[] {
    if (globs.length === 1) return this.filesMatching(globs[0]!);
    const key = `any\0${globs.map((glob) => glob.source).join("\0")}`;
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
    const key = `select\0${include?.map((glob) => glob.source).join("\0") ?? "*"}\u0001${exclude?.map((glob) => glob.source).join("\0") ?? ""}`;
    const known = this.fileAnswers.get(key);
    if (known) return known;
    let result: number[];
    if (!exclude || exclude.length === 0) {
      result = include ? [...this.filesMatchingAny(include)] : Array.from({ length: this.files }, (_, i) => i);
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

  /** Visits the smallest candidate set the hint allows: a prefix range, a basename or an extension list. */
  private candidatesFor(hint: CandidateHint, visit: (position: number) => void): void {
    const byName = hint.basename !== undefined ? this.byBasename.get(hint.basename) ?? [] : undefined;
    const byExt = hint.extension !== undefined ? this.byExtension.get(hint.extension) ?? [] : undefined;
    const narrowest = byName ?? byExt;
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

const sortNumbers = (values: readonly number[]): number[] => Array.from(Int32Array.from(values).sort());


/** A single path (or branch name) against a list of globs, for small inputs. */
export function matchesAny(value: string, globs: readonly CompiledGlob[]): boolean {
  return globs.some((glob) => glob.matches(value));
}
