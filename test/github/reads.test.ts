/**
 * Reads are not throttled as writes (issue 9, item 1): with Probot's throttling on, GraphQL
 * queries no longer wait in the write limiter; writes still do; a secondary limit on a read is
 * waited out and retried. With REDIS_URL the read limit is shared by every instance.
 */
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import Bottleneck from "bottleneck";
import nock from "nock";
import { Probot, type ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { AccordOctokit } from "../../src/github/octokit.js";
import { ReadPath } from "../../src/github/reads.js";
import { useFakeGitHub } from "../helpers/app-setup.js";
import type { FakeGitHub } from "../helpers/fake-github.js";
import { createTestApp, deliver, examplePayload } from "../helpers/probot.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");
const REDIS_URL = process.env.ACCORD_TEST_REDIS_URL;

/** A write limiter that lets everything through at once and counts what it was given. */
function countingGroup() {
  const group = new Bottleneck.Group({ minTime: 0, maxConcurrent: 100 });
  let scheduled = 0;
  const key = group.key.bind(group);
  const counted = new WeakSet<Bottleneck>();
  group.key = (id = "") => {
    const limiter = key(id);
    if (counted.has(limiter)) return limiter;
    counted.add(limiter);
    const schedule = limiter.schedule.bind(limiter) as (...args: unknown[]) => Promise<unknown>;
    limiter.schedule = ((...args: unknown[]) => {
      scheduled += 1;
      return schedule(...args);
    }) as typeof limiter.schedule;
    return limiter;
  };
  return { group, count: () => scheduled };
}

describe("reads and writes", () => {
  const fakeGitHub = useFakeGitHub(AGREEMENTS, [{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
  let fake: FakeGitHub;

  it("sends GraphQL queries around the write limiter, and writes through it", async () => {
    // Fails on the code before this change: the query waited in the write limiter too (3 scheduled).
    fake = fakeGitHub();
    const writes = countingGroup();
    // Probot's throttling on, as in production (a client asked to go without it, goes without).
    const Throttled = AccordOctokit.defaults((options: Record<string, unknown>) => {
      const throttle = options.throttle as Record<string, unknown> | undefined;
      if (throttle?.enabled === false) return { ...options, retry: { enabled: false } };
      return { ...options, retry: { enabled: false }, throttle: { ...throttle, enabled: true, write: writes.group, global: new Bottleneck.Group({ maxConcurrent: 100 }), notifications: new Bottleneck.Group({ maxConcurrent: 100 }) } };
    }) as typeof ProbotOctokit;
    const { probot } = createTestApp(fake, { Octokit: Throttled });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    expect(fake.calls.map((c) => c.operation ?? `${c.method} ${c.path.split("?")[0]}`)).toEqual([
      "AccordPullRequest",
      "POST /repos/Codertocat/Hello-World/check-runs",
      "POST /repos/Codertocat/Hello-World/issues/2/comments",
    ]);
    expect(writes.count()).toBe(2);
  });

  it("waits out GitHub's secondary rate limit on a read and tries again", async () => {
    fake = fakeGitHub();
    fake.failures.push({ match: /POST \/graphql AccordPullRequest/, status: 403, message: "You have exceeded a secondary rate limit", headers: { "retry-after": "2" } });
    const { probot } = createTestApp(fake, { reads: { retryAfterUnitMs: 1 } });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    expect(fake.calls.filter((c) => c.operation === "AccordPullRequest")).toHaveLength(2);
    expect(fake.checkRuns.at(-1)).toMatchObject({ conclusion: "failure" });
    expect(fake.checkRuns.at(-1)!.output.title).toMatch(/Needs attention/);
  });
});

describe("the read limit and the app's token", () => {
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("mints the installation token outside the read limit, so a full limiter still drains", async () => {
    // Fails on the code before this change: with every slot held by a read waiting for the token, the mint waited for a slot: no read ever finished.
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    nock.disableNetConnect();
    const github = nock("https://api.github.com").persist();
    github.post("/app/installations/77/access_tokens").reply(201, { token: "ghs_test", expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    github.post("/graphql").reply(200, { data: { viewer: { login: "x" } } });
    const probot = new Probot({ appId: 1, privateKey, logLevel: "fatal", Octokit: AccordOctokit });
    const path = new ReadPath({ maxConcurrent: 2 });
    const client = await path.split(probot, 77, (await probot.auth(77)) as never);
    const reads = Promise.all(Array.from({ length: 6 }, () => client.graphql("query { viewer { login } }")));
    const guard = sleep(5_000).then(() => "stuck");
    expect(await Promise.race([reads.then(() => "done"), guard])).toBe("done");
  });
});

describe.skipIf(!REDIS_URL)(REDIS_URL ? "limits shared through Redis" : "Redis tests skipped: ACCORD_TEST_REDIS_URL is not set (run `. .ci/redis.sh && start_redis` first, as .ci/run does)", () => {
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  /** A GitHub that answers every GraphQL query after 150 ms and records how many were in flight at once. */
  function slowGitHub() {
    let inFlight = 0;
    let most = 0;
    nock.disableNetConnect();
    nock("https://api.github.com")
      .persist()
      .post("/graphql")
      .reply(async () => {
        most = Math.max(most, ++inFlight);
        await sleep(150);
        inFlight -= 1;
        return [200, { data: { viewer: { login: "x" } } }];
      });
    return () => most;
  }

  it("bounds reads per installation across instances: two instances together stay within one limit", async () => {
    const most = slowGitHub();
    const id = `accord-test-${process.pid}-${Date.now()}`;
    const paths = [new ReadPath({ maxConcurrent: 3, redisUrl: REDIS_URL! }), new ReadPath({ maxConcurrent: 3, redisUrl: REDIS_URL! })];
    // Separate limiter state per test run: Bottleneck keys its Redis data by the group id.
    for (const path of paths) (path as unknown as { group: Bottleneck.Group }).group.updateSettings({ id });
    const probots = paths.map(() => new Probot({ appId: 1, githubToken: "t", logLevel: "fatal" }));
    try {
      const clients = await Promise.all(paths.map(async (path, i) => path.split(probots[i]!, 77, (await probots[i]!.auth(77)) as never)));
      await Promise.all(Array.from({ length: 12 }, (_, i) => clients[i % 2]!.graphql("query { viewer { login } }")));
      expect(most()).toBe(3);
    } finally {
      for (const path of paths) await path.close();
    }
  }, 30_000);

  it("keeps reads unshared without Redis (each instance its own limit), so the test above proves the sharing", async () => {
    const most = slowGitHub();
    const paths = [new ReadPath({ maxConcurrent: 3 }), new ReadPath({ maxConcurrent: 3 })];
    const probots = paths.map(() => new Probot({ appId: 1, githubToken: "t", logLevel: "fatal" }));
    const clients = await Promise.all(paths.map(async (path, i) => path.split(probots[i]!, 77, (await probots[i]!.auth(77)) as never)));
    await Promise.all(Array.from({ length: 12 }, (_, i) => clients[i % 2]!.graphql("query { viewer { login } }")));
    expect(most()).toBe(6);
  });

  it("spaces one installation's writes across instances through Probot's Redis clustering", async () => {
    const at: number[] = [];
    nock.disableNetConnect();
    nock("https://api.github.com")
      .persist()
      .post(/\/repos\/acme\/ml\/issues\/\d+\/comments/)
      .reply(() => {
        at.push(Date.now());
        return [201, { id: at.length }];
      });
    const probots = [0, 1].map(() => new Probot({ appId: 1, githubToken: "t", logLevel: "fatal", redisConfig: REDIS_URL!, Octokit: AccordOctokit }));
    const installation = 700_000 + (process.pid % 1000);
    const clients = await Promise.all(probots.map((probot) => probot.auth(installation)));
    await Promise.all(Array.from({ length: 4 }, (_, i) => clients[i % 2]!.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: "acme", repo: "ml", issue_number: 1, body: `c${i}` })));
    const gaps = at.sort((a, b) => a - b).slice(1).map((t, i) => t - at[i]!);
    // Content-creating requests: Probot spaces them 3 s apart per installation; allow for clock granularity.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(900);
  }, 60_000);
});
