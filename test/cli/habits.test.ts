/** The CLI's everyday habits (SPEC §4), each on a real temporary git repository. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMAND_USAGE } from "../../src/cli/help.js";
import { runCli, TempRepo } from "../helpers/git-repo.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/cli-basic.yml", import.meta.url), "utf8");
const COMMANDS = ["validate", "schema", "init", "check", "report"];

/** One plain line on stderr, nothing on stdout, exit 2. */
function expectOneLine(run: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(message);
  expect(run.stderr.endsWith("\n")).toBe(true);
  expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
}

describe("accord --version", () => {
  it("prints the version of package.json", async () => {
    const { version, name } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string; name: string };
    expect(name).toBe("accord-agreements");
    for (const flag of ["--version", "-V"]) {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`accord ${version} (accord-agreements)\n`);
    }
  });
});

describe("help for each command", () => {
  it("prints that command's help and exits 0, however it is asked", async () => {
    for (const command of COMMANDS) {
      const asked = [["help", command], [command, "--help"], [command, "-h"]];
      for (const argv of asked) {
        const run = await runCli(argv);
        expect({ argv, code: run.code, stderr: run.stderr }).toEqual({ argv, code: 0, stderr: "" });
        expect(run.stdout).toContain(`Usage: accord ${command}`);
        expect(run.stdout).toBe(`${COMMAND_USAGE[command]}\n`);
      }
    }
  });

  it("gives the general help for `accord help`, and one line for a command that does not exist", async () => {
    const general = await runCli(["help"]);
    expect(general.code).toBe(0);
    expect(general.stdout).toContain("accord help <command>");
    expectOneLine(await runCli(["help", "frob"]), /`frob` is not an accord command/);
  });

  it("prefers the help to a mistake next to it", async () => {
    const run = await runCli(["check", "--frobnicate", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: accord check");
  });
});

describe("option values, as git reads them", () => {
  let repo: TempRepo;
  const config = "version: 1\nagreements:\n  - id: linked\n    title: Link an issue\n    require: { linked_issue: true, title: { pattern: '^-' } }\n";
  beforeEach(() => {
    repo = new TempRepo();
    repo.write(".github/agreements.yml", config).write("a.txt", "a").commit("initial");
    repo.git("checkout", "-q", "-b", "bump");
    repo.write("a.txt", "b").commit("bump");
  });
  afterEach(() => repo.remove());

  const outcome = async (...options: string[]) => {
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json", ...options]);
    expect(run.stderr).toBe("");
    return JSON.parse(run.stdout).agreements[0].outcome as string;
  };

  it("takes a value that begins with `-`, as dependabot's bodies do", async () => {
    expect(await outcome("--title", "- bump", "--body", "- bump aiohttp (#12)")).toBe("pass");
    expect(await outcome("--title", "- bump", "--body", "- bump aiohttp")).toBe("fail");
  });

  it("takes `--name=value`, and `--help` or `-h` as a value after an option that wants one", async () => {
    expect(await outcome("--title=-h", "--body=- fixes #3")).toBe("pass");
    expect(await outcome("--title", "--help", "--body", "--help #3")).toBe("pass");
  });

  it("answers each mistake with one plain line and exit 2", async () => {
    expectOneLine(await runCli(["check", "--repo", repo.dir, "--base"]), /^accord: `--base` needs a value/);
    expectOneLine(await runCli(["check", "--repo", repo.dir, "--frobnicate"]), /`--frobnicate` is not an option of accord check/);
    expectOneLine(await runCli(["check", "--repo", repo.dir, "-x"]), /`-x` is not an option of accord check/);
    expectOneLine(await runCli(["check", "--repo", repo.dir, "stray"]), /accord check takes no arguments \(`stray` was given\)/);
    expectOneLine(await runCli(["check", "--repo", repo.dir, "--base", "no-such-branch"]), /--base no-such-branch: no branch, tag or commit has that name/);
    const elsewhere = mkdtempSync(join(tmpdir(), "accord-not-a-repo-"));
    try {
      expectOneLine(await runCli(["check", "--repo", elsewhere]), /is not a git repository \(nor inside one\)/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    expectOneLine(await runCli(["validate", "a.yml", "b.yml"]), /accord validate takes at most one FILE; `b\.yml` is one too many/);
    expectOneLine(await runCli(["init", "--force"]), /`--force` is not an option of accord init/);
    expectOneLine(await runCli(["report", "--since"]), /`--since` needs a value/);
  });
});

describe("the agreement file is found from the repository root", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
  });
  afterEach(() => repo.remove());

  it("init writes at the root, not in the subdirectory", async () => {
    repo.write("src/deep/a.py", "x").commit("initial");
    const deep = repo.subdir("src/deep");
    const run = await runCli(["init"], {}, deep);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Wrote \.\.\/\.\.\/\.github\/agreements\.yml at the repository root/);
    expect(existsSync(join(repo.dir, ".github/agreements.yml"))).toBe(true);
    expect(existsSync(join(deep, ".github"))).toBe(false);
    const again = await runCli(["init"], {}, deep);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\.\.\/\.\.\/\.github\/agreements\.yml already exists/);
  });

  it("validate and check find it from a subdirectory", async () => {
    repo.write(".github/agreements.yml", AGREEMENTS).write("pipelines/train.py", "x").write("models/README.md", "x").commit("initial");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("models/m.pkl", "x").commit("add model");
    const models = repo.subdir("models");
    const validate = await runCli(["validate"], {}, models);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/^\.\.\/\.github\/agreements\.yml: valid \(5 agreements, 2 teams\)$/m);
    const check = await runCli(["check", "--base", "main", "--format", "json"], {}, models);
    expect(check.stderr).toBe("");
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).agreements[1]).toMatchObject({ id: "no-binaries", outcome: "fail" });
  });
});

describe("a base that is not where the agreement file is", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
  });
  afterEach(() => repo.remove());

  it("names the local branch that has the file when the remote's does not, and suggests --base", async () => {
    repo.write("a.txt", "a").commit("initial");
    repo.addOrigin("main");
    repo.write(".github/agreements.yml", AGREEMENTS).commit("agreements, not pushed yet");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("b.txt", "b").commit("change");
    const run = await runCli(["check", "--repo", repo.dir]);
    expectOneLine(run, /There is no agreement file at origin\/main, but your local branch main has one \(not pushed yet\?\)\. Check against it with `accord check --base main`/);
    const fixed = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"]);
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.stdout).base.ref).toBe("main");
  });

  it("names the remote branch that has the file when the local one is behind", async () => {
    repo.write("a.txt", "a").commit("initial");
    repo.addOrigin("main");
    repo.write(".github/agreements.yml", AGREEMENTS).commit("agreements");
    repo.git("push", "-q", "origin", "main");
    repo.git("reset", "-q", "--hard", "HEAD~1");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main"]);
    expectOneLine(run, /There is no agreement file at main, but origin\/main has one \(your main may be behind it\)\. Run `git pull`, or check against it with `accord check --base origin\/main`/);
  });

  it("suggests --base master when the default main does not exist", async () => {
    repo.git("checkout", "-q", "-b", "master");
    repo.write(".github/agreements.yml", AGREEMENTS).commit("initial");
    repo.git("checkout", "-q", "-b", "feature");
    const run = await runCli(["check", "--repo", repo.dir]);
    expectOneLine(run, /There is no branch main here.*master exists: run `accord check --base master`/);
  });
});

describe("what was compared is said", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write(".github/agreements.yml", AGREEMENTS).write("a.txt", "a").commit("initial");
    repo.git("checkout", "-q", "-b", "feature");
  });
  afterEach(() => repo.remove());

  it("names an empty diff", async () => {
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^NEUTRAL: /);
    expect(lines[1]).toMatch(/^HEAD \([0-9a-f]{7}\) into main \([0-9a-f]{7}\): 0 changed files — HEAD has no changes of its own since it left main\.$/);
    expect(run.stdout).not.toMatch(/uncommitted/);
    const json = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"])).stdout);
    expect(json).toMatchObject({ changed_files: 0, uncommitted_files: 0 });
  });

  it("says uncommitted changes are not included, in text, markdown and JSON", async () => {
    repo.write("pipelines/new.py", "x").commit("feat: x");
    repo.write("a.txt", "changed, not committed").write("notes.txt", "untracked");
    const text = await runCli(["check", "--repo", repo.dir, "--base", "main"]);
    expect(text.stdout).toMatch(/: 1 changed file\.\n/);
    expect(text.stdout).toContain("note: uncommitted changes are not included (1 changed file, 1 untracked file)");
    const markdown = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "markdown"]);
    expect(markdown.stdout).toContain("uncommitted changes are not included");
    const json = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"])).stdout);
    expect(json).toMatchObject({ changed_files: 1, uncommitted_files: 2 });
    expect(json.notes.some((note: string) => note.startsWith("Uncommitted changes are not included"))).toBe(true);
    // A head other than the working tree's is not affected by it.
    const other = await runCli(["check", "--repo", repo.dir, "--base", "main", "--head", "main"]);
    expect(other.stdout).not.toMatch(/uncommitted/);
  });
});

describe("local waivers and approvals", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write(".github/agreements.yml", AGREEMENTS).write("pipelines/train.py", "x").commit("initial");
    repo.git("checkout", "-q", "-b", "feature");
  });
  afterEach(() => repo.remove());

  it("--waive applies here and says who could waive the agreement on GitHub", async () => {
    repo.write("models/m.pkl", "x").write("data/big.bin", Buffer.alloc(4096, 1)).commit("add model");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--waive", "no-binaries", "--waive", "small-files"]);
    expect(run.stdout).toMatch(/^~ waived +no-binaries/m);
    expect(run.stdout).toContain("    waived: --waive on the command line; on GitHub only members of Platform may waive it, never the pull request's author: `/accord waive no-binaries <reason>`");
    expect(run.stdout).toMatch(/^~ waived +small-files/m);
    expect(run.stdout).toContain("on GitHub nobody may waive `small-files`, since the agreement file names no `waivable_by` team for it");
    expect(run.code).toBe(0);
    const json = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json", "--waive", "no-binaries"])).stdout);
    expect(json.agreements[1]).toMatchObject({ outcome: "waived", waiver: { by: null, reason: expect.stringMatching(/^--waive on the command line; on GitHub only members of Platform/) } });
    const markdown = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "markdown", "--waive", "no-binaries"]);
    expect(markdown.stdout).toContain("Waived: “--waive on the command line; on GitHub only members of Platform may waive it");
  });

  it("explains approvals that did not count once, in the agreement's message: the author's own, and someone in no team still needed", async () => {
    repo.write("pipelines/train.py", "y").commit("feat: retrain");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--author", "alice", "--approved-by", "alice", "--approved-by", "zed", "--approved-by", "carol"]);
    expect(run.stdout).toContain("    Waiting for an approval from Data Science. Approvals that did not count: @alice wrote this pull request; @zed is not in Data Science.\n");
    expect(run.stdout).not.toContain("@carol");
    expect(run.stdout.match(/did not count/g)).toHaveLength(1);
    expect(run.stdout).not.toContain("note: The approval of");
    const json = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json", "--author", "alice", "--approved-by", "alice"])).stdout);
    expect(json.agreements[0].outcome).toBe("waiting");
    expect(json.agreements[0].requirements[0].message).toBe(
      "Waiting for an approval from Data Science and an approval from Platform. An approval did not count: @alice wrote this pull request.",
    );
    expect(json.notes.join("\n")).not.toContain("did not count");
  });

  it("says nothing about approvals when no applicable agreement asks for any", async () => {
    repo.write("README.md", "x").commit("docs");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--approved-by", "zed"]);
    expect(run.stdout).not.toContain("did not count");
  });
});

describe("the JSON's additions", () => {
  it("carries each requirement's hint, base and head, and keeps every field SPEC lists", async () => {
    const repo = new TempRepo();
    try {
      repo.write(".github/agreements.yml", AGREEMENTS).write("pipelines/train.py", "x").commit("initial");
      const base = repo.git("rev-parse", "HEAD").trim();
      repo.git("checkout", "-q", "-b", "feature");
      repo.write("models/m.pkl", "x").commit("add model");
      const head = repo.git("rev-parse", "HEAD").trim();
      const json = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"])).stdout);
      expect(json).toMatchObject({ base: { ref: "main", sha: base }, head: { ref: "HEAD", sha: head }, merge_base: base, changed_files: 1 });
      for (const key of ["conclusion", "agreements", "reviewers"]) expect(json).toHaveProperty(key);
      const binaries = json.agreements[1];
      for (const key of ["id", "title", "outcome", "severity", "mode", "requirements"]) expect(binaries).toHaveProperty(key);
      expect(binaries.requirements[0]).toMatchObject({ kind: "forbidden", outcome: "fail", files: ["models/m.pkl"] });
      expect(binaries.requirements[0].hint).toMatch(/^Remove it from this PR/);
      expect(json.agreements[2].requirements[0]).toMatchObject({ kind: "max_file_size", outcome: "pass", hint: null });
    } finally {
      repo.remove();
    }
  });
});

describe("accord validate warns about globs that match no tracked file", () => {
  const FILE = `version: 1
teams:
  ds: { members: [alice] }
agreements:
  - id: pipelines
    when:
      paths: ["pipelines/**", "pipeline/**"]
      paths_ignore: ["**/*.md"]
    require:
      companions: ["models/**/MODEL_CARD.md"]
      forbidden: ["data/raw/**"]
      size: { max_lines: 10, ignore: ["**/*.lock"] }
`;
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
  });
  afterEach(() => repo.remove());

  it("prints FILE:LINE:COL: warning: … for each, and still exits 0", async () => {
    repo.write(".github/agreements.yml", FILE).write("pipelines/train.py", "x").write("pipelines/README.md", "x").commit("initial");
    const run = await runCli(["validate"], {}, repo.dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^\.github\/agreements\.yml:7:31: warning: In agreement `pipelines`, `when\.paths` glob `pipeline\/\*\*` matches no tracked file \(`git ls-files`\), so the agreement applies only to a pull request that adds such a file\./),
      expect.stringMatching(/^\.github\/agreements\.yml:10:20: warning: .*`require\.companions` glob `models\/\*\*\/MODEL_CARD\.md` matches no tracked file/),
      expect.stringMatching(/^\.github\/agreements\.yml:11:19: warning: .*`require\.forbidden` glob `data\/raw\/\*\*` matches no tracked file.*which is fine when it keeps such files out/),
      expect.stringMatching(/^\.github\/agreements\.yml:12:39: warning: .*`require\.size\.ignore` glob `\*\*\/\*\.lock`/),
      ".github/agreements.yml: valid (1 agreement, 1 team)",
    ]);
  });

  it("warns about nothing once every glob matches a tracked file", async () => {
    repo
      .write(".github/agreements.yml", FILE)
      .write("pipelines/a.md", "x")
      .write("pipeline/x.py", "x")
      .write("models/m/MODEL_CARD.md", "x")
      .write("data/raw/a.csv", "x")
      .write("package.lock", "x")
      .commit("initial");
    const run = await runCli(["validate", ".github/agreements.yml"], {}, repo.dir);
    expect(run.stdout).toBe(".github/agreements.yml: valid (1 agreement, 1 team)\n");
  });

  it("does not warn outside a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "accord-validate-"));
    try {
      writeFileSync(join(dir, "agreements.yml"), FILE);
      const run = await runCli(["validate", "agreements.yml"], {}, dir);
      expect(run.stdout).toBe("agreements.yml: valid (1 agreement, 1 team)\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("without git", () => {
  let repo: TempRepo;
  let emptyBin: string;
  let path: string | undefined;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write(".github/agreements.yml", AGREEMENTS).commit("initial");
    emptyBin = mkdtempSync(join(tmpdir(), "accord-no-git-"));
    path = process.env.PATH;
    // Child processes find git through PATH: a PATH with nothing on it is a machine without git.
    process.env.PATH = emptyBin;
  });
  afterEach(() => {
    process.env.PATH = path;
    rmSync(emptyBin, { recursive: true, force: true });
    repo.remove();
  });

  it("check says git is not installed, in one line, exit 2", async () => {
    expectOneLine(await runCli(["check", "--repo", repo.dir]), /^accord: git is not installed \(or not on PATH\), and accord check reads the repository through git\./);
  });

  it("validate still validates the file in the current directory", async () => {
    const run = await runCli(["validate", ".github/agreements.yml"], {}, repo.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(".github/agreements.yml: valid (5 agreements, 2 teams)\n");
  });
});
