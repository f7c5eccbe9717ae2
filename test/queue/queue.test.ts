/**
 * The durable queue's contract, on SQLite and on real PostgreSQL (graphile-worker): a delivery
 * accepted once, one pull request's jobs one at a time, retries with backoff ending dead with the
 * reason, a dead delivery taken again when it comes back, and jobs of a process that died given
 * to the next one.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { Job } from "../../src/github/events.js";
import { openQueue, type JobQueue, type QueuedDelivery } from "../../src/queue/index.js";
import type { SqlStore } from "../../src/store/index.js";
import { BACKENDS, POSTGRES_SKIPPED, type Target } from "../store/helpers.js";

const job: Job = { kind: "refresh", ref: { installationId: 1, owner: "acme", repo: "ml", number: 1 } };
const delivery = (id: string, group = "acme/ml#1"): QueuedDelivery => ({ id, event: "pull_request.opened", job, group });
const fast = { backoffMs: () => 30, pollMs: 20, concurrency: 8 };

describe.each(BACKENDS)("job queue on $name", (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  const open = async (target?: Target) => {
    const t = target ?? (await backend.fresh());
    const store = await t.open();
    if (!target) cleanups.push(() => t.drop());
    cleanups.unshift(() => store.close());
    return { target: t, store };
  };
  const queueOn = (store: SqlStore, options = {}) => {
    const queue = openQueue(store, { ...fast, ...options });
    cleanups.unshift(() => queue.stop(1_000));
    return queue;
  };
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  describe.skipIf(!backend.available)(backend.available ? "contract" : POSTGRES_SKIPPED, () => {
    it("accepts a delivery once and runs its job once", async () => {
      const { store } = await open();
      const queue = queueOn(store);
      const ran: string[] = [];
      await queue.start(async (d) => void ran.push(d.id));
      expect(await queue.enqueue(delivery("d1"))).toBe("queued");
      expect(await queue.enqueue(delivery("d1"))).toBe("duplicate");
      await queue.drain(10_000);
      expect(await queue.enqueue(delivery("d1"))).toBe("duplicate");
      await queue.drain(10_000);
      expect(ran).toEqual(["d1"]);
      expect(await queue.health()).toMatchObject({ waiting: 0, running: 0, retrying: 0, dead: 0, oldestWaitingMs: null });
    });

    it("runs one pull request's jobs one at a time, in order, and other pull requests' beside them", async () => {
      const { store } = await open();
      const queue = queueOn(store);
      const log: string[] = [];
      let inGroup = 0;
      let maxInGroup = 0;
      let overall = 0;
      let maxOverall = 0;
      await queue.start(async (d) => {
        const mine = d.group === "acme/ml#1";
        if (mine) maxInGroup = Math.max(maxInGroup, ++inGroup);
        maxOverall = Math.max(maxOverall, ++overall);
        log.push(`${d.id}+`);
        await sleep(40);
        log.push(`${d.id}-`);
        if (mine) inGroup -= 1;
        overall -= 1;
      });
      for (let i = 1; i <= 4; i++) await queue.enqueue(delivery(`a${i}`));
      for (let i = 1; i <= 4; i++) await queue.enqueue(delivery(`b${i}`, `acme/ml#${i + 1}`));
      await queue.drain(20_000);
      expect(maxInGroup).toBe(1);
      expect(maxOverall).toBeGreaterThan(1);
      expect(log.filter((entry) => entry.startsWith("a"))).toEqual(["a1+", "a1-", "a2+", "a2-", "a3+", "a3-", "a4+", "a4-"]);
    });

    it("retries a failing job with backoff, ends it dead with the reason, and never holds the PR's later jobs for ever", { timeout: 40_000 }, async () => {
      const { store } = await open();
      const queue = queueOn(store, { maxAttempts: 3 });
      const attempts: string[] = [];
      await queue.start(async (d, attempt) => {
        attempts.push(`${d.id}#${attempt.number}${attempt.final ? "!" : ""}`);
        if (d.id === "bad") throw Object.assign(new Error("Server Error"), { status: 502 });
      });
      await queue.enqueue(delivery("bad"));
      await queue.enqueue(delivery("good"));
      // graphile-worker waits e^attempts seconds between tries (2.7 s, then 7.4 s); SQLite here 30 ms.
      for (let i = 0; i < 800 && (await queue.health()).dead === 0; i++) await sleep(25);
      await queue.drain(10_000);
      expect(attempts.filter((a) => a.startsWith("bad"))).toEqual(["bad#1", "bad#2", "bad#3!"]);
      expect(attempts).toContain("good#1");
      expect(await queue.dead()).toEqual([expect.objectContaining({ id: "bad", event: "pull_request.opened", attempts: 3, error: "HTTP 502: Server Error" })]);
      expect((await queue.health()).dead).toBe(1);
    });

    it("takes a dead delivery again when it comes back (a redelivery), and it can succeed", async () => {
      const { store } = await open();
      const queue = queueOn(store, { maxAttempts: 1 });
      let fail = true;
      const ran: string[] = [];
      await queue.start(async (d) => {
        ran.push(d.id);
        if (fail) throw new Error("GitHub is down");
      });
      await queue.enqueue(delivery("d1"));
      for (let i = 0; i < 200 && (await queue.health()).dead === 0; i++) await sleep(25);
      fail = false;
      expect(await queue.enqueue(delivery("d1"))).toBe("requeued");
      await queue.drain(10_000);
      expect(ran).toEqual(["d1", "d1"]);
      expect(await queue.dead()).toEqual([]);
      expect(await queue.accepted(["d1", "d2"])).toEqual(new Set(["d1"]));
    });

    it("starts on a fresh database from several instances at once", async () => {
      // Fails on the code before this change on PostgreSQL: graphile-worker's first migration raced ("duplicate key … pg_namespace_nspname_index").
      const { target } = await open();
      const stores = await Promise.all([1, 2, 3].map(() => open(target)));
      const queues = stores.map(({ store }) => queueOn(store));
      await Promise.all(queues.map((queue) => queue.start(async () => undefined)));
      expect(await queues[0]!.enqueue(delivery("d1"))).toBe("queued");
      await queues[1]!.drain(10_000);
      expect((await queues[2]!.health()).waiting).toBe(0);
    });

    it("gives the jobs of a process that died to the next one", async () => {
      const { target, store } = await open();
      if (backend.name === "sqlite") {
        // The first process takes the job and dies with it (its queue is never stopped or finished).
        const first = openQueue(store, fast) as JobQueue;
        let taken!: () => void;
        const started = new Promise<void>((resolve) => (taken = resolve));
        await first.start(() => {
          taken();
          return new Promise<void>(() => undefined);
        });
        await first.enqueue(delivery("d1"));
        await started;
        const second = await open(target);
        const next = queueOn(second.store);
        const ran: string[] = [];
        await next.start(async (d) => void ran.push(d.id));
        await next.drain(10_000);
        expect(ran).toEqual(["d1"]);
        return;
      }
      // PostgreSQL: a job locked by a worker whose heartbeat stopped long ago.
      const queue = queueOn(store);
      await queue.enqueue(delivery("d1"));
      const schema = `"${target.schema}_worker"`;
      const db = store.database;
      await db.run(`UPDATE ${schema}._private_jobs SET locked_at = now(), locked_by = 'worker-dead'`);
      await db.run("INSERT INTO queue_workers (worker_id, instance, heartbeat_at) VALUES ('worker-dead', 'gone', ?)", [Date.now() - 10 * 60_000]);
      const ran: string[] = [];
      await queue.start(async (d) => void ran.push(d.id));
      await queue.drain(10_000);
      expect(ran).toEqual(["d1"]);
    });
  });
});
