/**
 * Fifty pull requests at once on one instance against a real PostgreSQL (issue 8, item 7). Every
 * PR's first GitHub read is held until all fifty have arrived, so the test passes only if no
 * pull request's lock holds a pooled connection while GitHub is called: with the old advisory
 * locks on a pool of 16, the 17th PR waited for a connection and failed after 10 s.
 */
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type SqlStore } from "../../src/store/index.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { TEST_QUEUE, createTestApp, deliver, examplePayload } from "../helpers/probot.js";
import { dropSchema, POSTGRES_SKIPPED, POSTGRES_URL } from "../store/helpers.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");
const PULL_REQUESTS = 50;

describe.skipIf(!POSTGRES_URL)(POSTGRES_URL ? "fifty concurrent pull requests on PostgreSQL" : POSTGRES_SKIPPED, () => {
  const schema = `accord_concurrency_${process.pid}`;
  let store: SqlStore;

  beforeAll(async () => {
    store = await openStore(POSTGRES_URL!, { schema });
  });
  afterAll(async () => {
    await store?.close();
    await dropSchema(POSTGRES_URL!, schema);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("gives every one its verdict, none failing for want of a connection", async () => {
    nock.disableNetConnect();
    // One repository per owner, each a fake GitHub of its own, behind one interceptor.
    const fakes = new Map<string, FakeGitHub>();
    for (let i = 0; i < PULL_REQUESTS; i++) {
      const fake = new FakeGitHub();
      fake.owner = `org${i}`;
      fake.repoId = 9000 + i;
      fake.pr.number = i + 1;
      fake.setAgreement(AGREEMENTS);
      fake.setFiles([{ filename: "README.md", status: "modified", additions: 1, deletions: 0 }]);
      fakes.set(fake.owner, fake);
    }
    let arrived = 0;
    const waiting: (() => void)[] = [];
    const release = () => waiting.splice(0).forEach((go) => go());
    const giveUp = setTimeout(release, 25_000);
    const scope = nock("https://api.github.com").persist();
    for (const method of ["get", "post", "patch"] as const) {
      scope[method](/.*/).reply(function (uri, body, callback) {
        const parsed = typeof body === "string" && body !== "" ? JSON.parse(body) : body;
        const owner = /^\/repos\/([^/]+)\//.exec(uri)?.[1] ?? (parsed as { variables?: { owner?: string } })?.variables?.owner ?? "";
        const fake = fakes.get(owner)!;
        const answer = () => callback(null, <never>fake.handle(method.toUpperCase(), uri, (this as unknown as { req: { headers: Record<string, string> } }).req.headers, parsed));
        if (uri === "/graphql" && String((parsed as { query?: string }).query).includes("AccordPullRequest")) {
          arrived += 1;
          waiting.push(answer);
          if (arrived === PULL_REQUESTS) release();
          return;
        }
        answer();
      });
    }
    const first = fakes.get("org0")!;
    // More jobs at once than pull requests: the only limits left are the ones under test.
    const { probot } = createTestApp(first, { store, queue: { ...TEST_QUEUE, concurrency: 64 } });
    const results = await Promise.allSettled(
      [...fakes.values()].map((fake) => {
        const payload = examplePayload("pull_request", "opened", fake);
        payload.repository.owner.login = fake.owner;
        // One installation each: reads are bounded per installation, and this test holds every first read open.
        payload.installation.id = fake.repoId;
        return deliver(probot, "pull_request", payload, `concurrent-${fake.owner}`);
      }),
    );
    clearTimeout(giveUp);
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(arrived).toBe(PULL_REQUESTS);
    for (const fake of fakes.values()) expect(fake.checkRuns).toEqual([expect.objectContaining({ conclusion: "success" })]);
    expect((await store.repositories()).length).toBe(PULL_REQUESTS);
  }, 60_000);
});
