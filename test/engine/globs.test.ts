import { minimatch } from "minimatch";
import { describe, expect, it } from "vitest";
import { FileIndex, compileBranchGlob, compileGlob, globProblem, intersectSorted, matchesAny, normalisePathGlob } from "../../src/engine/globs.js";

const PATHS = [
  "a", "a/b", "a/b/c", ".a", ".a/b", "a/.b", "a/.b/c", "README.md", "docs/README.md", "docs/guide/intro.md",
  "pipelines", "pipelines/train.py", "pipelines/.env", "pipelines/sub/notes.md", "pipelines/sub/deep/x.yaml",
  "kubeflow/pipeline.yaml", "x.tar.gz", "a/x.tar.gz", ".github/agreements.yml", ".github/workflows/ci.yml",
  "models/m1/MODEL_CARD.md", "models/MODEL_CARD.md", "models/m1/weights.pkl", "model.pkl", "data/raw/x.csv",
  "data/raw", "data/rawx/y.csv", "data/raw/.keep", "notebooks/explore.ipynb", "a b/c d.txt", "src/[id].ts",
  "src/(group)/page.tsx", "src/a+b.ts", "src/index.ts", "src/index.test.ts", "lib/util.js", "yarn.lock",
  "pkg/package-lock.json", "a/b/c/d/e/f.py", "..a", "a..b", "x.", "-x", "é/ü.txt", "a/b.PY", "A/B.py",
  "infra/main.tf", "infra/modules/vpc/main.tf", "docs/.vitepress/config.ts", "Makefile", "sub/Makefile",
];

const GLOBS = [
  "**", "*", "**/*", "a/**", "a/**/c", "**/.b/**", "pipelines/**", "**/*.md", "*.md", "**/*.tar.gz", "*.tar.gz",
  "{a,pipelines}/**", "{src,lib}/**/*.{ts,tsx}", "{docs,infra}/**", "!**/*.md", "!a", "!pipelines/**", "data/raw/**",
  "data/raw/*", "data/raw", "**/MODEL_CARD.md", "models/**/MODEL_CARD.md", "MODEL_CARD.md", ".github/**",
  "**/.github/*", "?", "a/?", "a/?/c", "src/\\[id\\].ts", "src/[[]id].ts", "src/[a-z]*.ts", "+(a|b)/**",
  "@(pipelines|docs)/**", "!(a)/**", "*(a)", "a/**/", "**/*.{py,PY}", "**/*.py", "**/a", "a/b/**/f.py", "a/*/c",
  "*.", "x.*", "*.lock", "**/*-lock.json", "é/*", "a b/**", "#comment", "./a", "a//b", "a/./b", "a/../a/b",
  ".*", "**/.*", "a/**/**/c", "{a/b,x}", "{,a/}b", "**/*.pkl", "kubeflow/**", "**/Makefile", "Makefile",
  "src/**/*.test.ts", "src/*.ts", "infra/**/main.tf", "**/*.tf", "docs/**/*.md", "notebooks/*.ipynb", "**/*.ipynb",
  "{pipelines/**,pipelines}", "{a/**,a}", "src/*/**", "*/**", "{data/raw,a/b}/**", "data/*/**", ".github/**/*.yml",
  // CODEOWNERS habits: anchored, directory, at any depth.
  "/docs/**", "/a", "docs/", "/docs/", "a/", "/", "!/a/**", "!*.md", "!docs/",
  // Classes, escapes and minimatch's shortcuts for a segment.
  "[!a]*", "[^a]*", "src/[a-c]*.ts", "**/[[:upper:]]*", "**/[[:alpha:]][[:alpha:]]", "[z-a]", "**/*\\.md", "**/\\*",
  "**/??.md", "**/?.*", "*.*", "**/.*", "**/*.", "a/\\?", "**/[.]*", "**/x.[!t]*", "**/[a-]*",
  // Extglobs, run on RE2.
  "+(a|b)/**", "**/@(README|Makefile)?(.md)", "*(a|b)", "**/*.@(py|PY)", "src/+([a-z]).ts", "@(a|.a)/**", "**/?(x).tar.gz",
  // Several `**`.
  "**/b/**/*", "a/**/b/**/c/**/*.py", "**/a/**/c", "**/.b/**/c", "**/*/**/*.md", "**/**/**",
];

/** minimatch's answer (`dot: true`) for a path glob, written out the way Accord reads it (`*.md` → `**\/*.md`). */
const minimatchPath = (path: string, glob: string) => minimatch(path, normalisePathGlob(glob), { dot: true });

const minimatchAnswer = (glob: string, paths: readonly string[]) => paths.flatMap((path, i) => (minimatchPath(path, glob) ? [i] : []));

describe("FileIndex gives exactly minimatch's answers (dot: true) on the written-out glob", () => {
  const index = new FileIndex(PATHS.map((path) => ({ path })));

  it.each(GLOBS)("for %j", (glob) => {
    expect(index.filesMatching(compileGlob(glob))).toEqual(minimatchAnswer(glob, PATHS));
  });

  it("answers the same a second time (cached)", () => {
    for (const glob of GLOBS) expect(index.filesMatching(compileGlob(glob))).toEqual(minimatchAnswer(glob, PATHS));
  });

  it("for every glob on a single path, through matches() and matchesAny()", () => {
    for (const glob of GLOBS) {
      const compiled = compileGlob(glob);
      for (const path of PATHS) {
        const expected = minimatchPath(path, glob);
        expect(compiled.matches(path), `${glob} ~ ${path}`).toBe(expected);
        expect(matchesAny(path, [compiled]), `${glob} ~ ${path}`).toBe(expected);
      }
    }
  });

  it("as branch globs, gives minimatch's answers on the glob as written", () => {
    for (const glob of GLOBS) {
      if (glob.startsWith("#")) {
        expect(globProblem(glob, "branch")).toMatch(/comment that matches nothing/);
        continue;
      }
      const compiled = compileBranchGlob(glob);
      for (const path of PATHS) expect(compiled.matches(path), `${glob} ~ ${path}`).toBe(minimatch(path, glob, { dot: true }));
    }
  });

  it("gives minimatch's answers on odd strings too: empty, `.`, `..`, doubled and trailing slashes, astral characters", () => {
    const odd = ["", "/", ".", "..", "a/", "/a", "a//b", "./a", "a/./b", "a/../b", "a/..", "../a", "😀", "a/😀.md", "😀😀/x", "a/b/", "/a/b", "docs//x.md"];
    for (const glob of GLOBS) {
      const path = compileGlob(glob);
      const branch = glob.startsWith("#") ? undefined : compileBranchGlob(glob);
      for (const value of [...odd, ...PATHS]) {
        expect(path.matches(value), `${glob} ~ ${value}`).toBe(minimatchPath(value, glob));
        if (branch) expect(branch.matches(value), `branch ${glob} ~ ${value}`).toBe(minimatch(value, glob, { dot: true }));
      }
    }
  });

  it("does not count a bare directory under `dir/**` (minimatch does not, though its regex would)", () => {
    expect(compileGlob("pipelines/**").matches("pipelines")).toBe(false);
    expect(compileGlob("pipelines/**").matches("pipelines/x")).toBe(true);
  });

  it("negates `!x` once, not twice", () => {
    const notMarkdown = compileGlob("!**/*.md");
    expect(notMarkdown.negate).toBe(true);
    expect(notMarkdown.matches("src/index.ts")).toBe(true);
    expect(notMarkdown.matches("docs/README.md")).toBe(false);
  });

  it("matches dot files and dot directories under `*` and `**`", () => {
    expect(compileGlob("**/*.yml").matches(".github/workflows/ci.yml")).toBe(true);
    expect(compileGlob("pipelines/*").matches("pipelines/.env")).toBe(true);
    expect(compileGlob("*").matches(".a")).toBe(true);
  });

  it("follows minimatch where its `**` is stricter than it need be (three `**` around sections of different lengths)", () => {
    // minimatch 10 gives each section between two `**` a latest start that, here, leaves `a/b` no room.
    for (const path of ["x/a/b/c/t", "a/b/c/t", "x/a/b/y/c/t"]) {
      expect(compileGlob("**/a/b/**/c/**/t").matches(path), path).toBe(minimatch(path, "**/a/b/**/c/**/t", { dot: true }));
    }
    expect(compileGlob("**/a/b/**/c/**/t").matches("x/a/b/c/t")).toBe(false);
    expect(compileGlob("**/a/b/**/c/t").matches("x/a/b/c/t")).toBe(true);
  });

  it("reads astral characters as minimatch does, unit by unit, in extglobs run on RE2 too", () => {
    const globs = ["@([a-😀])", "+([a-😀])", "@(?|x)", "@(??|x)", "@(😀|x)", "@([😀]|x)", "+([!a])", "@(a|[\uE000-\uFFFF])", "@([\uD83D-\uDBFF]?)", "?", "??", "[😀]"];
    const names = ["😀", "😃", "😀😀", "a", "x", "é", "ｆ", "\uE000", "\uFFFF", "\uD83D", "\uD83Dx"];
    for (const glob of globs) {
      const compiled = compileBranchGlob(glob);
      for (const name of names) expect(compiled.matches(name), `${glob} ~ ${name}`).toBe(minimatch(name, glob, { dot: true }));
    }
  });

  it("is case-sensitive, like git paths", () => {
    expect(compileGlob("**/*.py").matches("a/b.PY")).toBe(false);
  });
});

/** A deterministic pseudo-random generator, so the corpus is varied but the test repeatable. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("FileIndex against minimatch on a generated corpus", () => {
  const random = seeded(20_26);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const dirs = ["src", "lib", "pipelines", "kubeflow", "models", "data", "raw", ".github", "docs", "a", "b", "node_modules", ".hidden", "x.y"];
  const names = ["index", "train", "README", "MODEL_CARD", "Makefile", ".env", "a", "b", "notes", "x"];
  const exts = ["", ".py", ".ts", ".md", ".pkl", ".ipynb", ".lock", ".yml", ".tar.gz", ".PY"];
  const paths = new Set<string>();
  while (paths.size < 600) {
    const depth = Math.floor(random() * 4);
    const segments = Array.from({ length: depth }, () => pick(dirs));
    paths.add([...segments, `${pick(names)}${pick(exts)}`].join("/"));
  }
  const corpus = [...paths];
  const globParts = [
    () => `${pick(dirs)}/**`,
    () => `**/*${pick(exts.filter(Boolean))}`,
    () => `${pick(dirs)}/*${pick(exts)}`,
    () => `**/${pick(names)}${pick(exts)}`,
    () => `{${pick(dirs)},${pick(dirs)}}/**/*${pick(exts)}`,
    () => `!${pick(dirs)}/**`,
    () => `${pick(dirs)}/**/${pick(names)}*`,
    () => `${pick(names)}${pick(exts)}`,
    () => `**/${pick(dirs)}/**`,
    () => `${pick(dirs)}/${pick(dirs)}/**`,
    () => `*${pick(exts)}`,
    () => `**/.*`,
    // The CODEOWNERS habits.
    () => `${pick(names)}${pick(exts)}`,
    () => `/${pick(dirs)}/**`,
    () => `${pick(dirs)}/`,
    () => `/${pick(dirs)}/`,
    () => `*${pick(exts.filter(Boolean))}`,
    () => `!*${pick(exts.filter(Boolean))}`,
    () => `**/@(${pick(names)}|${pick(names)})${pick(exts)}`,
  ];
  const globs = Array.from({ length: 250 }, () => pick(globParts)());
  // Renames: every tenth file also has an old path, so both paths are indexed.
  const files = corpus.map((path, i) => (i % 10 === 0 ? { path, previousPath: corpus[(i * 7 + 3) % corpus.length]! } : { path }));
  const index = new FileIndex(files);

  it("agrees on every glob, counting a renamed file under its new and its old path", () => {
    for (const glob of globs) {
      const expected = files.flatMap((file, i) =>
        minimatchPath(file.path, glob) || (file.previousPath !== undefined && minimatchPath(file.previousPath, glob)) ? [i] : [],
      );
      expect(index.filesMatching(compileGlob(glob)), glob).toEqual(expected);
    }
  });

  it("agrees on unions of globs (filesMatchingAny)", () => {
    for (let i = 0; i + 3 <= globs.length; i += 3) {
      const group = globs.slice(i, i + 3);
      const expected = files.flatMap((file, f) =>
        group.some((glob) => minimatchPath(file.path, glob) || (file.previousPath !== undefined && minimatchPath(file.previousPath, glob))) ? [f] : [],
      );
      expect(index.filesMatchingAny(group.map(compileGlob)), group.join(" ")).toEqual(expected);
    }
  });

  it("stays fast: 3,000 paths × 1,000 globs well under a few seconds", () => {
    const big = Array.from({ length: 3000 }, (_, i) => ({ path: `${dirs[i % dirs.length]}/sub${i % 37}/file${i}${exts[i % exts.length]}` }));
    const many = Array.from({ length: 1000 }, (_, i) =>
      compileGlob([`${dirs[i % dirs.length]}/**`, `**/*${exts[(i % 9) + 1]}`, `**/sub${i % 50}/**`, `{src,lib}/**/file${i}.*`, `sub${i % 37}/`, `file${i}.py`][i % 6]!),
    );
    const started = performance.now();
    const bigIndex = new FileIndex(big);
    let hits = 0;
    for (const glob of many) hits += bigIndex.filesMatching(glob).length;
    expect(hits).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("FileIndex scopes", () => {
  const files = [
    { path: "pipelines/train.py" }, // 0
    { path: "pipelines/README.md" }, // 1
    { path: "pipelines/train2.py", previousPath: "pipelines/notes.md" }, // 2: a .md renamed to .py
    { path: "docs/moved.md", previousPath: "pipelines/moved.md" }, // 3: a .md moved out of pipelines
    { path: "src/app.ts" }, // 4
  ];
  const index = new FileIndex(files);
  const g = (...globs: string[]) => globs.map(compileGlob);

  it("select(include, exclude) removes ignored paths before testing include", () => {
    expect(index.select(g("pipelines/**"), g("**/*.md"))).toEqual([0, 2]);
  });

  it("keeps a renamed file whose new path is not ignored, even though its old path is (reading: ignore removes paths, not files)", () => {
    expect(index.select(g("pipelines/**"), g("**/*.md"))).toContain(2);
  });

  it("drops a renamed file when every path it has is ignored or out of `paths`", () => {
    expect(index.select(g("pipelines/**"), g("**/*.md"))).not.toContain(3);
  });

  it("with no include, keeps every file with a path that is not ignored", () => {
    expect(index.select(undefined, g("**/*.md"))).toEqual([0, 2, 4]);
    expect(index.select(undefined, undefined)).toEqual([0, 1, 2, 3, 4]);
    expect(index.select(undefined, [])).toEqual([0, 1, 2, 3, 4]);
  });

  it("filesMatching counts a renamed file under both paths; filesWithCurrentPathMatching only under the new one", () => {
    expect(index.filesMatching(compileGlob("pipelines/**"))).toEqual([0, 1, 2, 3]);
    expect(index.filesWithCurrentPathMatching(compileGlob("pipelines/**"))).toEqual([0, 1, 2]);
  });

  it("answers filesMatching correctly after a select() that excluded some of the same paths", () => {
    const fresh = new FileIndex(files);
    fresh.select(g("pipelines/**"), g("**/*.md"));
    expect(fresh.filesMatching(compileGlob("pipelines/**"))).toEqual([0, 1, 2, 3]);
    expect(fresh.filesMatching(compileGlob("**/*.md"))).toEqual([1, 2, 3]);
  });

  it("reports its file count", () => {
    expect(index.fileCount).toBe(5);
    expect(new FileIndex([]).filesMatching(compileGlob("**"))).toEqual([]);
  });

  it("intersectSorted keeps common elements in order", () => {
    expect(intersectSorted([1, 3, 5, 7], [0, 3, 4, 7, 9])).toEqual([3, 7]);
    expect(intersectSorted([], [1])).toEqual([]);
  });
});

describe("matches() against minimatch on generated globs of every syntax and odd strings", () => {
  const random = seeded(7);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  // Pieces of segments: literals, wildcards, classes (POSIX, negated, empty, reversed), escapes, braces, extglobs, and the odd ones minimatch reads its own way.
  const atoms = [
    "a", "b", ".", "*", "?", "[ab]", "[!a]", "[^.]", "[a-c]", "[[:alpha:]]", "[[:digit:]]", "[[:graph:]]", "[z-a]", "[]", "[!]]", "[a-]", "[.]",
    "[\\]]", "[^[:alpha:]a]", "[😀]", "\\*", "\\", "\\.", "\\|", "[", "]", "(", ")", "|", "#", "!", "-", "é", "😀", "1", "x",
    "{a,b}", "{a,}", "{1..3}", "{a,b/c}", "+(a|b)", "@(a|.b)", "?(a)", "*(b|a)", "@(a", "*(?)", "+(*|.)", "?(.)", "@(*|?)", "*(a|*(b))",
    ".*", "*.", "***", "*.*", "??", "?.a", "[.]*", ".[ab]", "..?", "\\.\\.*", "[.]?", "[-]", "[a-[:alpha:]]", "[[:foo:]]", "[[:print:]]",
  ];
  const segment = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(atoms)).join("");
  const glob = () =>
    (random() < 0.1 ? "!" : "") +
    (random() < 0.1 ? "/" : "") +
    Array.from({ length: 1 + Math.floor(random() * 4) }, () => (random() < 0.25 ? "**" : segment())).join("/") +
    (random() < 0.1 ? "/" : "");
  const names = ["a", "b", ".", "..", "...", "ab", "a.b", ".a", ".ab", "x", "é", "😀", "-", "*", "aa", "", "|", "1", "a|b", "[", "]", "[a]", ":", "\\", "a.", "..a", "😀a", "#", "(a)"];
  const path = () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(names)).join("/");
  const answer = (value: string, pattern: string): boolean | "throws" => {
    try {
      return minimatch(value, pattern, { dot: true });
    } catch {
      return "throws";
    }
  };

  it("gives the same answer for path globs (written out) and branch globs (as written), or refuses the glob", () => {
    let compared = 0;
    for (let g = 0; g < 600; g++) {
      const source = glob();
      for (const flavor of ["path", "branch"] as const) {
        const pattern = flavor === "path" ? normalisePathGlob(source) : source;
        const paths = Array.from({ length: 25 }, path);
        const problem = globProblem(source, flavor);
        if (problem !== undefined) {
          // Refused: `!(…)`, a comment, or a glob minimatch itself cannot read.
          expect(problem, `${flavor} ${source}`).toMatch(/uses `!\(…\)`|comment that matches nothing|not a glob minimatch can read/);
          continue;
        }
        const compiled = flavor === "path" ? compileGlob(source) : compileBranchGlob(source);
        for (const value of paths) {
          expect(compiled.matches(value), `${flavor} ${JSON.stringify(source)} ~ ${JSON.stringify(value)}`).toBe(answer(value, pattern));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(25_000);
  });
});
