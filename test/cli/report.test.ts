/** `accord report` against a real SQLite friction record (and a PostgreSQL one when available). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { runCli } from "../helpers/git-repo.js";
import { dropSchema, POSTGRES_SKIPPED, POSTGRES_URL } from "../store/helpers.js";
import { applyLive, REPO, scenario } from "../store/scenario.js";

const dir = mkdtempSync(join(tmpdir(), "accord-report-cli-"));
const one = `sqlite:${join(dir, "one.db")}`;
const two = `sqlite:${join(dir, "two.db")}`;
const empty = `sqlite:${join(dir, "empty.db")}`;

beforeAll(async () => {
  const now = Date.now();
  const store = await openStore(one);
  await applyLive(store, scenario(now));
  await store.close();
  const several = await openStore(two);
  await applyLive(several, scenario(now));
  await applyLive(
    several,
    scenario(now).map((step) => ({ ...step, event: { ...step.event, repo: "acme/web", deliveryId: `web-${step.event.deliveryId}` } }) as typeof step),
  );
  await several.close();
  await (await openStore(empty)).close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("accord report", () => {
  it("prints the report for the only repository recorded, as text by default", async () => {
    const { code, stdout, stderr } = await runCli(["report"], { DATABASE_URL: one });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`Agreement health for ${REPO}`);
    expect(stdout).toMatch(/Over the 30 days from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: 3 pull requests, 8 evaluations\./);
    expect(stdout).toContain("no-pickles — No pickled models in git (required)");
    expect(stdout).toContain("waiver: “Hotfix: model needed now.” — #2");
    expect(stdout).toContain("Platform: median 5 h over 1 pull request; from other teams' PRs 5 h");
    expect(stdout).toContain("Trial agreement: If enforced, trial conventional-title would have blocked 1 of the 3 pull requests it applied to.");
    expect(stdout).toContain("To discuss:");
  });

  it("reads --repo, --since and --format (json, markdown with a mermaid chart)", async () => {
    const json = await runCli(["report", "--repo", REPO, "--since", "12w", "--format", "json"], { DATABASE_URL: one });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ repo: REPO, pullRequests: 4, window: { days: 84 } });
    expect(report.agreements.map((a: { id: string }) => a.id)).toContain("pipelines-both-teams");

    const markdown = await runCli(["report", `--repo=${REPO.toUpperCase()}`, "--format=markdown"], { DATABASE_URL: one });
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain(`## Agreement health: ${REPO}`);
    expect(markdown.stdout).toContain("```mermaid\nxychart-beta");
    expect(markdown.stdout).toContain("| Agreement | Applied to | Not met |");

    const dated = await runCli(["report", "--since", new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10)], { DATABASE_URL: one });
    expect(dated.code).toBe(0);
    expect(dated.stdout).toContain("1 pull request");
  });

  it("asks which repository when several are recorded, and names them", async () => {
    const { code, stderr } = await runCli(["report"], { DATABASE_URL: two });
    expect(code).toBe(2);
    expect(stderr).toBe("accord: The friction record holds several repositories; choose one with --repo: acme/ml, acme/web.\n");
    const web = await runCli(["report", "--repo", "acme/web"], { DATABASE_URL: two });
    expect(web.code).toBe(0);
    expect(web.stdout).toContain("Agreement health for acme/web");
  });

  it("exits 2 with a plain message for a bad option, an unknown repository, a missing or empty record, an unreachable database", async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["report", "--since", "soon"], { DATABASE_URL: one }, /`--since soon` is not a window Accord understands: use days \(30d\), weeks \(12w\) or a date/],
      [["report", "--since", "2999-01-01"], { DATABASE_URL: one }, /is not in the past/],
      [["report", "--format", "pdf"], { DATABASE_URL: one }, /`--format pdf` is not a report format: use text, json or markdown/],
      [["report", "--colour"], { DATABASE_URL: one }, /`--colour` is not an option of accord report/],
      [["report", "--repo"], { DATABASE_URL: one }, /`--repo` needs a value/],
      [["report", "--repo", "acme"], { DATABASE_URL: one }, /should look like owner\/name/],
      [["report", "--repo", "acme/nope"], { DATABASE_URL: one }, /Nothing is recorded for acme\/nope\. Recorded repository: acme\/ml\./],
      [["report"], { DATABASE_URL: `sqlite:${join(dir, "missing.db")}` }, /There is no friction record at .*missing\.db yet/],
      [["report"], { DATABASE_URL: empty }, /has no repositories yet/],
      [["report"], { DATABASE_URL: "mysql://localhost/x" }, /DATABASE_URL must be `sqlite:PATH`/],
      [["report"], { DATABASE_URL: "postgres://accord:hunter2@127.0.0.1:1/accord" }, /Could not reach PostgreSQL at 127\.0\.0\.1:1 \(database accord\): ECONNREFUSED/],
    ];
    for (const [argv, env, message] of cases) {
      const { code, stdout, stderr } = await runCli(argv, env);
      expect({ argv, code, stdout }).toEqual({ argv, code: 2, stdout: "" });
      expect(stderr).toMatch(message);
      expect(stderr).not.toContain("hunter2");
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("uses ./data/accord.db under the working directory when DATABASE_URL is unset", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "accord-report-cwd-"));
    try {
      const { code, stderr } = await runCli(["report"], {}, cwd);
      expect(code).toBe(2);
      expect(stderr).toContain(join(cwd, "data", "accord.db"));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("prints its usage with --help", async () => {
    const { code, stdout } = await runCli(["report", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: accord report [--repo owner/name | --org OWNER] [--since 30d] [--format text|json|markdown]");
  });

  describe.skipIf(!POSTGRES_URL)(POSTGRES_URL ? "from PostgreSQL" : POSTGRES_SKIPPED, () => {
    it("reads the same record from PostgreSQL", async () => {
      // The schema rides on the connection string, as a user with a dedicated schema would set it.
      const schema = `accord_cli_${process.pid}`;
      const store = await openStore(POSTGRES_URL, { schema });
      try {
        await applyLive(store, scenario(Date.now()));
      } finally {
        await store.close();
      }
      try {
        const url = `${POSTGRES_URL}${POSTGRES_URL!.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
        const { code, stdout, stderr } = await runCli(["report", "--format", "json"], { DATABASE_URL: url });
        expect(stderr).toBe("");
        expect(code).toBe(0);
        expect(JSON.parse(stdout)).toMatchObject({ repo: REPO, pullRequests: 3, evaluations: 8 });
      } finally {
        await dropSchema(POSTGRES_URL!, schema);
      }
    });
  });

  it("gives the organisation view with --org: counts added across repositories, waits pooled, each figure with its repositories", async () => {
    const owner = REPO.split("/")[0]!;
    const text = await runCli(["report", "--org", owner], { DATABASE_URL: two });
    expect(text.stderr).toBe("");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Agreement health for ${owner} (2 repositories)`);
    expect(text.stdout).toMatch(/Over the 30 days from .*: 6 pull requests, 16 evaluations\./);
    expect(text.stdout).toContain(`from ${REPO} and acme/web`.replace(`${REPO} and acme/web`, [REPO, "acme/web"].sort().join(" and ")));
    expect(text.stdout).toMatch(/Platform: median 5 h, 90th percentile 5 h over 2 reviewed; other teams' pull requests: median 5 h over 2/);

    const json = JSON.parse((await runCli(["report", "--org", owner, "--format", "json"], { DATABASE_URL: two })).stdout);
    expect(json.owner).toBe(owner);
    expect(json.repositories.map((r: { repo: string }) => r.repo).sort()).toEqual([REPO, "acme/web"].sort());
    const pickles = json.agreements.find((a: { id: string }) => a.id === "no-pickles");
    expect(pickles.pullRequests).toBe(2 * JSON.parse((await runCli(["report", "--repo", REPO, "--format", "json"], { DATABASE_URL: two })).stdout).agreements.find((a: { id: string }) => a.id === "no-pickles").pullRequests);
    expect(pickles.waivers[0].pullRequests.sort()).toEqual([`${REPO}#2`, "acme/web#2"].sort());
    expect(json.suggestions.every((s: { repo: string }) => [REPO, "acme/web"].includes(s.repo))).toBe(true);

    const markdown = await runCli(["report", "--org", owner, "--format", "markdown"], { DATABASE_URL: two });
    expect(markdown.stdout).toContain(`## Agreement health for ${owner}`);
    expect(markdown.stdout).toContain("| Agreement | Pull requests | Not met | Waived | From |");

    const unknown = await runCli(["report", "--org", "nobody"], { DATABASE_URL: two });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Nothing is recorded for nobody\. Recorded owners: acme\./);
    const both = await runCli(["report", "--org", owner, "--repo", REPO], { DATABASE_URL: two });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/Choose one of --repo/);
  });
});
