import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import Bottleneck from "bottleneck";
import nock from "nock";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accordApp } from "../../src/github/app.js";
import { GitHubCaches } from "../../src/github/gather.js";
import { AccordOctokit } from "../../src/github/octokit.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { useFakeGitHub } from "../helpers/app-setup.js";
import { createTestApp, deliver, examplePayload } from "../helpers/probot.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");

const fakeGitHub = useFakeGitHub(AGREEMENTS, [{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }]);
let fake: FakeGitHub;
beforeEach(() => {
  fake = fakeGitHub();
});

/** Retries on, waits shortened to milliseconds, and write spacing off so the test stays fast. */
const FastRetryOctokit = AccordOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: true, retryAfterBaseValue: 1 },
  throttle: {
    ...(options.throttle as Record<string, unknown>),
    enabled: true,
    retryAfterBaseValue: 1,
    write: new Bottleneck.Group({ minTime: 0, maxConcurrent: 10 }),
    global: new Bottleneck.Group({ minTime: 0, maxConcurrent: 10 }),
    notifications: new Bottleneck.Group({ minTime: 0, maxConcurrent: 10 }),
  },
})) as typeof ProbotOctokit;

describe("when GitHub fails", () => {
  it("says on the check run that evaluation failed and how to retry, once retries run out", async () => {
    fake.failures.push({ match: /POST \/graphql AccordPullRequest/, status: 502 });
    const { probot } = createTestApp(fake);
    await expect(deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake))).rejects.toThrow();
    const run = fake.checkRuns.at(-1)!;
    expect(run).toMatchObject({ conclusion: "failure", head_sha: fake.pr.headSha });
    expect(run.output.title).toBe("Could not check the agreements this time");
    expect(run.output.summary).toMatch(/GitHub answered HTTP 502, a problem on GitHub's side/);
    expect(run.output.summary).toMatch(/Comment `\/accord check` on the pull request to try again/);

    // The service keeps running: the next event succeeds.
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake));
    expect(fake.checkRuns.at(-1)!.output.title).toMatch(/Needs attention/);
  });

  it("retries 5xx answers and then succeeds", async () => {
    fake.failures.push({ match: /POST \/graphql AccordPullRequest/, status: 502 }, { match: /POST \/repos\/.*\/check-runs/, status: 503 });
    const { probot } = createTestApp(fake, { Octokit: FastRetryOctokit });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    expect(fake.calls.filter((c) => c.operation === "AccordPullRequest")).toHaveLength(2);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]!.output.title).toMatch(/Needs attention/);
  });

  it("retries GitHub's secondary rate limit instead of only logging it", async () => {
    fake.failures.push({ match: /POST \/repos\/.*\/issues\/\d+\/comments/, status: 403, message: "You have exceeded a secondary rate limit", headers: { "retry-after": "1" } });
    const { probot } = createTestApp(fake, { Octokit: FastRetryOctokit });
    await deliver(probot, "pull_request", examplePayload("pull_request", "opened", fake));
    expect(fake.calls.filter((c) => c.method === "POST" && /\/comments$/.test(c.path))).toHaveLength(2);
    expect(fake.comments).toHaveLength(1);
  });
});

describe("the webhook endpoint", () => {
  let server: Server;
  let url: string;
  const secret = "test-secret";
  const sign = (body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

  beforeEach(async () => {
    nock.enableNetConnect("127.0.0.1");
    const probot = new Probot({ appId: fake.appId, githubToken: "t", secret, logLevel: "fatal", Octokit: ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })) });
    const middleware = await createNodeMiddleware(accordApp({ appId: fake.appId, caches: new GitHubCaches() }), { probot });
    server = createServer((req, res) => void middleware(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: string, signature: string, event = "pull_request") =>
    fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-github-event": event, "x-github-delivery": `d-${Math.random()}`, "x-hub-signature-256": signature }, body });

  it("rejects a bad signature and writes nothing", async () => {
    const body = JSON.stringify(examplePayload("pull_request", "opened", fake));
    const response = await post(body, "sha256=0000");
    expect(response.status).toBe(400);
    expect(fake.calls).toEqual([]);
  });

  it("answers a malformed payload without crashing, and keeps serving", async () => {
    const malformed = JSON.stringify({ action: "opened", installation: { id: 1 } });
    const first = await post(malformed, sign(malformed));
    expect(first.status).toBeLessThan(500);
    const body = JSON.stringify(examplePayload("pull_request", "opened", fake));
    const second = await post(body, sign(body));
    expect(second.status).toBe(200);
    expect(fake.checkRuns).toHaveLength(1);
  });
});
