import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, TempRepo } from "../helpers/git-repo.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/cli-basic.yml", import.meta.url), "utf8");

describe("accord check on a real git repository", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write(".github/agreements.yml", AGREEMENTS).write("pipelines/train.py", "print(1)\n").write("README.md", "hi\n").commit("initial");
    repo.git("checkout", "-q", "-b", "feature");
  });
  afterEach(() => repo.remove());

  it("prints SPEC's JSON object, agreements in file order, and exits 1 on failure", async () => {
    repo.write("pipelines/train.py", "print(2)\n").write("models/m.pkl", "binary").commit("feat: retrain");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json", "--author", "alice"]);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout);
    // SPEC's fields first, then what the command adds.
    expect(Object.keys(json).slice(0, 3)).toEqual(["conclusion", "agreements", "reviewers"]);
    expect(json.conclusion).toBe("failure");
    expect(json.agreements.map((a: { id: string }) => a.id)).toEqual(["pipelines-both-teams", "no-binaries", "small-files", "notebooks-cleared", "describe"]);
    const binaries = json.agreements[1];
    expect(Object.keys(binaries).slice(0, 6)).toEqual(["id", "title", "outcome", "severity", "mode", "requirements"]);
    expect(binaries.outcome).toBe("fail");
    expect(binaries.requirements[0]).toMatchObject({ kind: "forbidden", outcome: "fail", files: ["models/m.pkl"] });
    expect(Object.keys(binaries.requirements[0]).slice(0, 4)).toEqual(["kind", "outcome", "message", "files"]);
    expect(json.agreements[0].outcome).toBe("waiting");
    // Suggested per team still needed, never the author (alice).
    expect(json.reviewers["data-science"]).toEqual(["bob"]);
    expect([...json.reviewers.platform].sort()).toEqual(["carol", "dave"]);
  });

  it("counts approvals given with --approved-by and exits 0 when only advice remains", async () => {
    repo.write("pipelines/train.py", "print(2)\n").commit("feat: retrain");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json", "--author", "alice", "--approved-by", "bob", "--approved-by", "carol"]);
    const json = JSON.parse(run.stdout);
    expect(json.agreements[0].outcome).toBe("pass");
    expect(json.conclusion).toBe("neutral");
    expect(run.code).toBe(0);
  });

  it("suggests reviewers per team still needed from the local git log, never the author", async () => {
    repo.git("checkout", "-q", "main");
    for (const who of ["carol", "dave", "bob"]) {
      repo.write("pipelines/train.py", `print("${who}")\n`);
      repo.git("add", "-A");
      repo.git("-c", `user.name=${who}`, "-c", `user.email=${who}@example.com`, "commit", "-q", "-m", `work by ${who}`, "--trailer", "Reviewed-by: carol <carol@example.com>");
    }
    repo.git("checkout", "-q", "-b", "retrain");
    repo.write("pipelines/train.py", "print(2)\n").commit("feat: retrain");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json", "--author", "bob"]);
    const json = JSON.parse(run.stdout);
    expect(json.reviewers.platform[0]).toBe("carol");
    expect(json.reviewers.platform).toContain("dave");
    expect(json.reviewers["data-science"]).toEqual(["alice"]);
    const text = await runCli(["check", "--repo", repo.dir, "--base", "main", "--author", "bob"]);
    expect(text.stdout).toMatch(/Suggested from Platform: @carol \(reviewed \d changes? to pipelines\/train\.py/);
  });

  it("exits 0 while waiting for reviews", async () => {
    repo.write("pipelines/train.py", "print(2)\n").commit("feat: retrain\n\n## What\nretrain\n## How\nran it");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json", "--author", "alice"]);
    expect(JSON.parse(run.stdout).conclusion).toBe("waiting");
    expect(run.code).toBe(0);
  });

  it("uses three-dot semantics: changes on the base after the branch point are not the PR's", async () => {
    repo.write("pipelines/train.py", "print(2)\n").commit("feat: retrain");
    repo.git("checkout", "-q", "main");
    repo.write("models/base-only.pkl", "x").commit("base moves on");
    repo.git("checkout", "-q", "feature");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"]);
    const binaries = JSON.parse(run.stdout).agreements[1];
    expect(binaries.outcome).toBe("pass");
  });

  it("detects renames: a renamed-to forbidden file fails, a removed one is fine", async () => {
    repo.write("models/weights.bin", "w".repeat(200)).commit("add weights");
    repo.git("checkout", "-q", "main");
    repo.git("merge", "-q", "feature");
    repo.git("checkout", "-q", "-b", "rename");
    repo.git("mv", "models/weights.bin", "models/weights.pkl");
    repo.commit("rename");
    const renamed = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"])).stdout);
    expect(renamed.agreements[1].requirements[0].files).toEqual(["models/weights.pkl"]);
    repo.git("rm", "-q", "models/weights.pkl");
    repo.commit("remove it");
    const removed = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"])).stdout);
    expect(removed.agreements[1].outcome).toBe("pass");
  });

  it("reads sizes and notebooks from the head commit, binary files included", async () => {
    repo.write("data/blob.bin", Buffer.alloc(4096, 1)).write("nb/a.ipynb", JSON.stringify({ cells: [{ outputs: [{}], execution_count: 1 }] })).commit("add");
    const json = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"])).stdout);
    const size = json.agreements[2];
    expect(size.outcome).toBe("fail");
    expect(size.requirements[0].files).toEqual(["data/blob.bin"]);
    const notebooks = json.agreements[3];
    expect(notebooks).toMatchObject({ outcome: "fail", mode: "trial" });
  });

  it("fails an unparseable notebook with the reason", async () => {
    repo.write("nb/broken.ipynb", "{ not json").commit("add");
    const json = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"])).stdout);
    expect(json.agreements[3].outcome).toBe("fail");
    expect(json.agreements[3].requirements[0].message).toMatch(/could not be read/);
  });

  it("reads the agreement file at the base, not the head", async () => {
    repo.write(".github/agreements.yml", "version: 1\nagreements: []\n").write("models/m.pkl", "x").commit("weaken the rules");
    const json = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"])).stdout);
    expect(json.agreements.map((a: { id: string }) => a.id)).toContain("no-binaries");
    expect(json.agreements.at(-1).id).toBe("amend-agreements");
  });

  it("takes the base branch name without a remote prefix for base_branches", async () => {
    const remote = mkdtempSync(join(tmpdir(), "accord-remote-"));
    try {
      execFileSync("git", ["init", "-q", "--bare", "-b", "main", remote]);
      repo.git("remote", "add", "origin", remote);
      repo.git("push", "-q", "origin", "main");
      repo.git("fetch", "-q", "origin");
      repo.write("pipelines/train.py", "print(3)\n").commit("feat: x");
      const json = JSON.parse((await runCli(["check", "--repo", repo.dir, "--base", "origin/main", "--format", "json"])).stdout);
      expect(json.agreements[0].outcome).toBe("waiting");
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });

  it("waives with --waive and rejects an unknown id", async () => {
    repo.write("models/m.pkl", "x").commit("add model");
    const waived = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json", "--waive", "no-binaries"]);
    expect(JSON.parse(waived.stdout).agreements[1].outcome).toBe("waived");
    const unknown = await runCli(["check", "--repo", repo.dir, "--base", "main", "--waive", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--waive nope: no agreement has that id/);
  });

  it("takes title, body, body file and labels from options", async () => {
    const config = "version: 1\nagreements:\n  - id: t\n    require:\n      title: { pattern: '^feat: ' }\n      description: { sections: [What] }\n      labels: { all_of: [ready] }\n";
    repo.write("x.txt", "x").commit("wip");
    const configPath = `${repo.dir}/../accord-config-${Date.now()}.yml`;
    const { writeFileSync } = await import("node:fs");
    writeFileSync(configPath, config);
    const bodyPath = `${configPath}.md`;
    writeFileSync(bodyPath, "## What\nA thing.\n");
    try {
      const fails = await runCli(["check", "--repo", repo.dir, "--base", "main", "--config", configPath, "--format", "json"]);
      expect(JSON.parse(fails.stdout).agreements[0].outcome).toBe("fail");
      const passes = await runCli(["check", "--repo", repo.dir, "--base", "main", "--config", configPath, "--format", "json", "--title", "feat: x", "--body-file", bodyPath, "--label", "ready"]);
      expect(JSON.parse(passes.stdout).agreements[0].outcome).toBe("pass");
      expect(passes.code).toBe(0);
    } finally {
      rmSync(configPath, { force: true });
      rmSync(bodyPath, { force: true });
    }
  });

  it("prints one line per agreement and a how-to line under unmet ones", async () => {
    repo.write("models/m.pkl", "x").commit("add model");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main"]);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toMatch(/^FAILURE: Needs attention: No model binaries in git/);
    const binaries = lines.findIndex((line) => line.includes("no-binaries"));
    expect(lines[binaries]).toMatch(/not met yet/);
    expect(lines.slice(binaries + 1, binaries + 3).join("\n")).toMatch(/How to get there:/);
    expect(run.stdout).not.toMatch(/\u001b\[/);
  });

  it("prints the markdown the App posts with --format markdown", async () => {
    repo.write("models/m.pkl", "x").commit("add model");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "markdown"]);
    expect(run.stdout).toMatch(/^### Team agreements: Needs attention/);
    expect(run.stdout).toMatch(/\| ❌ \| No model binaries in git `no-binaries` \| not met yet \|/);
    expect(run.stdout).toMatch(/\*\*How to get there:\*\*/);
  });
});

describe("accord check: bad input gets a plain answer and exit 2", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
  });
  afterEach(() => repo.remove());

  it("says so when the base has no agreement file, and how to start", async () => {
    repo.write("a.txt", "a").commit("initial");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no agreement file at main/);
    expect(run.stderr).toMatch(/accord init/);
  });

  it("explains a directory that is not a git repository", async () => {
    const run = await runCli(["check", "--repo", `${repo.dir}/nowhere`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not a git repository/);
  });

  it("explains unknown refs", async () => {
    repo.write(".github/agreements.yml", AGREEMENTS).commit("initial");
    const base = await runCli(["check", "--repo", repo.dir, "--base", "no-such-branch"]);
    expect(base.code).toBe(2);
    expect(base.stderr).toMatch(/--base no-such-branch: no branch, tag or commit has that name/);
    const head = await runCli(["check", "--repo", repo.dir, "--base", "main", "--head", "nope"]);
    expect(head.stderr).toMatch(/--head nope/);
  });

  it("lists located problems of a broken agreement file at the base", async () => {
    repo.write(".github/agreements.yml", "version: 1\nagreements:\n  - id: x\n    require: { forbiden: [a] }\n").commit("initial");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\.github\/agreements\.yml:4:16: `forbiden` is not a key Accord knows in `require`\. Did you mean `forbidden`\?/);
  });

  it("rejects unknown options and formats", async () => {
    repo.write(".github/agreements.yml", AGREEMENTS).commit("initial");
    const option = await runCli(["check", "--repo", repo.dir, "--frobnicate"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe("accord: `--frobnicate` is not an option of accord check; `accord help check` lists its options.\n");
    const format = await runCli(["check", "--repo", repo.dir, "--format", "xml"]);
    expect(format.stderr).toMatch(/--format xml is not one Accord knows/);
  });

  it("reads the .yaml spelling", async () => {
    repo.write(".github/agreements.yaml", AGREEMENTS).commit("initial");
    repo.git("checkout", "-q", "-b", "f");
    repo.write("m.pkl", "x").commit("x");
    const run = await runCli(["check", "--repo", repo.dir, "--base", "main", "--format", "json"]);
    expect(JSON.parse(run.stdout).conclusion).toBe("failure");
  });
});
