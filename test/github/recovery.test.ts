/**
 * Missed deliveries come back by themselves (issue 9, item 3): the delivery log is read back to
 * where the last scan stopped, each handled delivery none of whose attempts succeeded — and that
 * Accord never accepted — is asked for again, a bounded number per scan; after an outage longer
 * than GitHub keeps deliveries, open PRs without an Accord check run are queued for a check.
 */
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { AccordHandle } from "../../src/github/app.js";
import { nextCursor } from "../../src/github/recovery.js";
import type { SqlStore } from "../../src/store/index.js";
import { useFakeGitHub, useTempStore } from "../helpers/app-setup.js";
import type { FakeGitHub, FakeHookDelivery } from "../helpers/fake-github.js";
import { createTestApp, deliver, examplePayload } from "../helpers/probot.js";

const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");
const NOW = Date.parse("2026-11-30T12:00:00Z");
const DAY = 24 * 3_600_000;

const fakeGitHub = useFakeGitHub(AGREEMENTS, [{ filename: "README.md", status: "modified", additions: 1, deletions: 0 }]);
let fake: FakeGitHub;
const tempStore = useTempStore();
let store: SqlStore;
beforeEach(() => {
  fake = fakeGitHub();
  store = tempStore();
});

let nextId = 1;
function attempt(guid: string, minutesAgo: number, statusCode: number, event = "pull_request", action: string | null = "opened"): FakeHookDelivery {
  return {
    id: nextId++,
    guid,
    delivered_at: new Date(NOW - minutesAgo * 60_000).toISOString(),
    redelivery: false,
    duration: 0.1,
    status: statusCode >= 200 && statusCode < 300 ? "OK" : statusCode === 0 ? "timed out" : "Internal Server Error",
    status_code: statusCode,
    event,
    action,
    installation_id: 4242,
    repository_id: fake.repoId,
  };
}

async function appWithRecovery(now: () => number = () => NOW, options = {}) {
  let handle!: AccordHandle;
  const { probot } = createTestApp(fake, { store, recovery: { firstScanMs: 60 * 60_000, now, ...options }, onReady: (ready) => (handle = ready) });
  await deliver(probot, "installation", { action: "created", installation: { id: 4242 } }, "warm-up");
  return { probot, recovery: () => handle.recovery!, drain: () => handle.drain() };
}

describe("recovery of missed deliveries", () => {
  it("asks again for each handled delivery none of whose attempts succeeded and that Accord never accepted", async () => {
    const { probot, recovery } = await appWithRecovery();
    // Accepted earlier, though GitHub timed out waiting: not asked for again.
    await deliver(probot, "pull_request", examplePayload("pull_request", "labeled", fake), "accepted-1");
    const failedTwice = [attempt("lost-1", 30, 502), attempt("lost-1", 20, 0)];
    fake.hookDeliveries = [
      attempt("ok-1", 5, 200),
      attempt("accepted-1", 8, 0),
      ...failedTwice.reverse(),
      attempt("retried-ok", 40, 202),
      attempt("retried-ok", 45, 500),
      attempt("ignored-event", 50, 500, "issues", "opened"),
      attempt("too-old", 5 * 24 * 60, 500),
    ];
    const result = await recovery().scan();
    expect(result).toMatchObject({ failed: 2, redelivered: 1 });
    // The latest attempt of lost-1 is the one asked for again.
    expect(fake.redeliveryRequests).toEqual([failedTwice[0]!.id]);
    // A second scan soon after asks nothing again, and reads only back to where the first stopped.
    const before = fake.calls.length;
    expect(await recovery().scan()).toMatchObject({ redelivered: 0 });
    expect(fake.callsSince(before).map((c) => c.path.split("?")[0])).toEqual(["/app/hook/deliveries"]);
  });

  it("reads the log page by page through the Link cursor, and bounds what one scan asks for", async () => {
    const { recovery } = await appWithRecovery(() => NOW, { maxRedeliveries: 3 });
    fake.hookDeliveries = Array.from({ length: 250 }, (_, i) => attempt(`lost-${i}`, i / 10, 500));
    const result = await recovery().scan();
    expect(fake.calls.filter((c) => c.path.startsWith("/app/hook/deliveries?")).map((c) => new URL(c.path, "https://x").searchParams.get("cursor"))).toEqual([null, "100", "200"]);
    expect(result).toMatchObject({ read: 250, failed: 250, redelivered: 3 });
    expect(fake.redeliveryRequests).toHaveLength(3);
  });

  it("after an outage longer than GitHub keeps deliveries, queues a check of open PRs whose head has no Accord check run", async () => {
    let now = NOW;
    const { recovery, drain } = await appWithRecovery(() => now);
    await recovery().scan();
    now += 4 * DAY;
    const result = await recovery().scan();
    expect(result?.swept).toBe(1);
    await drain();
    expect(fake.checkRuns).toEqual([expect.objectContaining({ head_sha: fake.pr.headSha, conclusion: "success" })]);
  });

  it("reads the next cursor from GitHub's Link header", () => {
    expect(nextCursor('<https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_123>; rel="next"')).toBe("v1_123");
    expect(nextCursor('<https://api.github.com/app/hook/deliveries?cursor=a>; rel="prev"')).toBeUndefined();
    expect(nextCursor("")).toBeUndefined();
  });
});
