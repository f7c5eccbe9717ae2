/**
 * Hostile input contained (issue 8, item 9): an agreement file proposed in one PR's head — any
 * fork can open one — with globs built to stall a matcher, next to a path built for the same.
 * Run from compiled sources, as the app is deployed, so the preview goes to a worker thread: a
 * normal PR in another installation still gets its check run within 2 s.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { Probot } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { compiledSources } from "../helpers/compiled.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { TestOctokit, examplePayload } from "../helpers/probot.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");
const LONG_PATH = `src/${"a_".repeat(1850)}.py`;
const HOSTILE = `${AGREEMENTS}
  - id: stall
    when: { paths: ["**/*_*_*_*_*_*_*_*.py", "**/a*a*a*a*a*a*a*b/**", "x/{1..20}/{1..12}/*.pkl"] }
    require: { forbidden: ["**/*_*_*_*.py", "**/**/**/**/**/*.pkl"] }
`;

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("a hostile proposed agreement file", () => {
  it("cannot hold up another installation's pull request", async () => {
    nock.disableNetConnect();
    const hostile = new FakeGitHub();
    hostile.owner = "forker";
    hostile.repoId = 1;
    hostile.setAgreement(AGREEMENTS);
    hostile.setAgreement(HOSTILE, hostile.pr.headSha);
    hostile.setFiles([
      { filename: ".github/agreements.yml", status: "modified", additions: 5, deletions: 0 },
      ...Array.from({ length: 50 }, (_, i) => ({ filename: `${LONG_PATH.slice(0, -3)}${i}.py`, status: "added", additions: 1, deletions: 0 })),
    ]);
    const normal = new FakeGitHub();
    normal.owner = "calm";
    normal.repoId = 2;
    normal.setAgreement(AGREEMENTS);
    normal.setFiles([{ filename: "README.md", status: "modified", additions: 1, deletions: 0 }]);
    const fakes = new Map([hostile, normal].map((fake) => [fake.owner, fake]));
    const scope = nock("https://api.github.com").persist();
    for (const method of ["get", "post", "patch"] as const) {
      scope[method](/.*/).reply(function (uri, body) {
        const parsed = typeof body === "string" && body !== "" ? JSON.parse(body) : body;
        const owner = /^\/repos\/([^/]+)\//.exec(uri)?.[1] ?? (parsed as { variables?: { owner?: string } })?.variables?.owner ?? "";
        return fakes.get(owner)!.handle(method.toUpperCase(), uri, (this as unknown as { req: { headers: Record<string, string> } }).req.headers, parsed);
      });
    }

    const { accordApp } = (await import(join(compiledSources(), "src", "github", "app.js"))) as typeof import("../../src/github/app.js");
    const probot = new Probot({ appId: 123, githubToken: "test-token", Octokit: TestOctokit, logLevel: "fatal" });
    await probot.load(accordApp({ appId: 123 }));
    const payload = (fake: FakeGitHub, installation: number) => {
      const p = examplePayload("pull_request", "opened", fake);
      p.repository.owner.login = fake.owner;
      p.installation.id = installation;
      return p;
    };

    const hostileDone = probot.receive({ id: "hostile", name: "pull_request", payload: payload(hostile, 1) } as never);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await probot.receive({ id: "normal", name: "pull_request", payload: payload(normal, 2) } as never);
    const normalMs = performance.now() - started;
    await hostileDone;

    expect(normal.checkRuns).toEqual([expect.objectContaining({ conclusion: "success" })]);
    expect(normalMs).toBeLessThan(2_000);
    // The hostile PR is judged by the base file, and its preview either finished or says why not.
    const run = hostile.checkRuns.at(-1)!;
    expect(run.output.summary).toMatch(/### The proposed agreement file/);
    expect(run.output.title).toMatch(/Waiting for|Needs attention|reviews from/);
  }, 60_000);
});
