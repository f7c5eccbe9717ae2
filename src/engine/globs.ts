/**
 * Glob matching over a PR's changed files, fast enough for 3,000 files × 1,000 globs.
 *
 * Each glob is compiled once (minimatch → RegExp plus the literal parts it implies). A
 * FileIndex over one PR's paths then narrows each glob to a handful of candidate paths —
 * by literal directory prefix, exact basename or extension — before any regex runs, and
 * remembers each glob's answer, since agreements often share globs.
 */
import { Minimatch } from "minimatch";

const MAGIC = /[*?[\]{}()!+@\\]/;

/** What every path matched by one brace alternative of a glob must have, to find candidates without a regex. */
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
  regex: RegExp;
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
    if (MAGIC.test(segment) || segment === "." || segment === "..") break;
    lead.push(segment);
  }
  const hint: CandidateHint = { prefix: lead.length > 0 ? `${lead.join("/")}/` : "" };
  const last = segments[segments.length - 1] ?? "";
  const extension = /^\*\.([^*?[\]{}()!+@\\/]+)$/.exec(last);
  if (last !== "" && !MAGIC.test(last)) hint.basename = last;
  else if (extension) hint.extension = lastExtension(extension[1]!);
  return hint;
}

export function compileGlob(source: string): CompiledGlob {
  const cached = compiledGlobs.get(source);
  if (cached) return cached;
  const matcher = new Minimatch(source, { dot: true });
  const regex = matcher.makeRe();
  const compiled: CompiledGlob = {
    source,
    regex: regex || /$^/,
    hints: matcher.globParts.map(hintFor),
    negate: matcher.negate,
    scanAll: matcher.negate || regex === false || matcher.globParts.length === 0,
  };
  if (compiledGlobs.size > 50_000) compiledGlobs.clear();
  compiledGlobs.set(source, compiled);
  return compiled;
}

function lastExtension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot === -1 ? name : name.slice(dot + 1);
}

function basenameOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? path : path.slice(slash + 1);
}

/**
 * The paths of one PR, indexed for glob look-ups. Each entry is a path and the file it
 * belongs to, so a renamed file is found under its new and its old path.
 */
export class FileIndex {
  private readonly entries: { path: string; file: number }[];
  private readonly byBasename = new Map<string, number[]>();
  private readonly byExtension = new Map<string, number[]>();
  private readonly answers = new Map<string, readonly number[]>();
  private readonly mark: Uint8Array;

  constructor(paths: readonly { path: string; previousPath?: string | undefined }[]) {
    const entries: { path: string; file: number }[] = [];
    paths.forEach((file, index) => {
      entries.push({ path: file.path, file: index });
      if (file.previousPath && file.previousPath !== file.path) entries.push({ path: file.previousPath, file: index });
    });
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.entries = entries;
    this.mark = new Uint8Array(paths.length);
    entries.forEach((entry, position) => {
      const base = basenameOf(entry.path);
      push(this.byBasename, base, position);
      const dot = base.lastIndexOf(".");
      if (dot !== -1) push(this.byExtension, base.slice(dot + 1), position);
    });
  }

  get fileCount(): number {
    return this.mark.length;
  }

  /** Sorted indices of the files with a path (new or old) matching the glob. */
  filesMatching(glob: CompiledGlob): readonly number[] {
    const known = this.answers.get(glob.source);
    if (known) return known;
    const hits: number[] = [];
    const test = (position: number) => {
      const entry = this.entries[position]!;
      if (this.mark[entry.file] === 0 && glob.regex.test(entry.path) !== glob.negate) {
        this.mark[entry.file] = 1;
        hits.push(entry.file);
      }
    };
    if (glob.scanAll) {
      for (let position = 0; position < this.entries.length; position++) test(position);
    } else {
      this.candidates(glob, test);
    }
    for (const file of hits) this.mark[file] = 0;
    hits.sort((a, b) => a - b);
    this.answers.set(glob.source, hits);
    return hits;
  }

  /** Sorted indices of the files matching at least one of the globs. */
  filesMatchingAny(globs: readonly CompiledGlob[]): readonly number[] {
    if (globs.length === 1) return this.filesMatching(globs[0]!);
    const key = globs.map((glob) => glob.source).join("\0");
    const known = this.answers.get(key);
    if (known) return known;
    // Every glob's answer first: filesMatching uses the same scratch marks.
    const answers = globs.map((glob) => this.filesMatching(glob));
    const union: number[] = [];
    for (const answer of answers) {
      for (const file of answer) {
        if (this.mark[file] === 0) {
          this.mark[file] = 1;
          union.push(file);
        }
      }
    }
    for (const file of union) this.mark[file] = 0;
    const sorted = Array.from(Int32Array.from(union).sort());
    this.answers.set(key, sorted);
    return sorted;
  }

  /** Sorted indices of the files matching `include` (every file when absent) and not `exclude`. */
  select(include: readonly CompiledGlob[] | undefined, exclude: readonly CompiledGlob[] | undefined): readonly number[] {
    const included = include ? this.filesMatchingAny(include) : undefined;
    const excluded = exclude && exclude.length > 0 ? this.filesMatchingAny(exclude) : undefined;
    if (!excluded || excluded.length === 0) return included ?? this.allFiles();
    for (const file of excluded) this.mark[file] = 1;
    const kept = (included ?? this.allFiles()).filter((file) => this.mark[file] === 0);
    for (const file of excluded) this.mark[file] = 0;
    return kept;
  }

  private all?: readonly number[];
  private allFiles(): readonly number[] {
    this.all ??= Array.from({ length: this.mark.length }, (_, i) => i);
    return this.all;
  }

  private candidates(glob: CompiledGlob, visit: (position: number) => void): void {
    for (const hint of glob.hints) this.candidatesFor(hint, visit);
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

/** A single path (or branch name) against a list of globs, for small inputs. */
export function matchesAny(value: string, globs: readonly CompiledGlob[]): boolean {
  return globs.some((glob) => glob.regex.test(value) !== glob.negate);
}
