/**
 * Several instances (issue 9, item 4): three real Accord servers on one PostgreSQL and one Redis,
 * behind a round-robin "load balancer", against a loopback GitHub that signs and sends webhooks,
 * keeps the delivery log and redelivers on request. A few hundred deliveries, some sent twice to
 * different instances; one instance is killed with SIGKILL mid-run and restarted. No delivery may
 * be lost, no pull request may get two summary comments, and every final check run must be right.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStub, WebhookSender } from "../../bench/github-stub.js";
import { BOT } from "../fakes/fake-github.js";
import { compiledSources } from "../helpers/compiled.js";
import { POSTGRES_URL } from "../store/helpers.js";
import { freePort } from "../helpers/net.js";

const REDIS_URL = process.env.ACCORD_TEST_REDIS_URL;
const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");
const SECRET = "e2e-webhook-secret";
const PULL_REQUESTS = 60;
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!POSTGRES_URL || !REDIS_URL)(
  POSTGRES_URL && REDIS_URL ? "three instances, one PostgreSQL, one Redis" : "multi-instance test skipped: it needs ACCORD_TEST_POSTGRES_URL and ACCORD_TEST_REDIS_URL (as .ci/run sets)",
  () => {
    const database = `accord_e2e_${process.pid}`;
    const databaseUrl = POSTGRES_URL ? POSTGRES_URL.replace(/\/[^/]*$/, `/${database}`) : "";
    const cwd = mkdtempSync(join(tmpdir(), "accord-e2e-"));
    const admin = () => new pg.Client({ connectionString: POSTGRES_URL });

    beforeAll(async () => {
      const client = admin();
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database}`);
      await client.query(`CREATE DATABASE ${database}`);
      await client.end();
    });
    afterAll(async () => {
      const client = admin();
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
      rmSync(cwd, { recursive: true, force: true });
    });

    it("loses no delivery, writes one summary comment per PR and every final check run right", async () => {
      const out = compiledSources();
      const expected = (i: number) => (i % 3 === 1 ? "failure" : "success");
      const repositories = Array.from({ length: PULL_REQUESTS }, (_, i) => ({
        owner: `org${i}`,
        repo: "service",
        agreement: AGREEMENTS,
        files: [
          i % 3 === 0
            ? { filename: "README.md", status: "modified", additions: 1, deletions: 0 }
            : i % 3 === 1
              ? { filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }
              : { filename: "pipelines/train.py", status: "modified", additions: 2, deletions: 1 },
        ],
      }));
      const ports = await Promise.all([freePort(), freePort(), freePort()]);
      const urls = ports.map((port) => `http://127.0.0.1:${port}/api/github/webhooks`);
      // A load balancer that health-checks: it stops sending to a dead instance a second after it died.
      const routed = [true, true, true];
      let turn = 0;
      const sender = new WebhookSender(SECRET, () => {
        for (;;) {
          const n = turn++ % urls.length;
          if (routed[n]) return urls[n]!;
        }
      });
      const stub = await startStub(repositories, 0, sender);
      const stubPort = new URL(stub.url).port;

      const instances: (ChildProcess | undefined)[] = [];
      const logs: string[] = ["", "", ""];
      const start = async (n: number) => {
        const child = spawn(process.execPath, [join(out, "src", "server.js")], {
          cwd,
          env: {
            PATH: process.env.PATH!,
            APP_ID: "123",
            PRIVATE_KEY: privateKey,
            WEBHOOK_SECRET: SECRET,
            PORT: String(ports[n]),
            HOST: "127.0.0.1",
            DATABASE_URL: databaseUrl,
            REDIS_URL: REDIS_URL!,
            GHE_HOST: `127.0.0.1:${stubPort}`,
            GHE_PROTOCOL: "http",
            LOG_LEVEL: "warn",
            ACCORD_WORKER_TIMEOUT_MS: "4000",
            ACCORD_RECOVERY_FIRST_SCAN_MS: "500",
            ACCORD_RECOVERY_INTERVAL_MS: "2000",
          },
        });
        child.stdout!.on("data", (chunk: Buffer) => (logs[n] += chunk.toString()));
        child.stderr!.on("data", (chunk: Buffer) => (logs[n] += chunk.toString()));
        instances[n] = child;
        for (let i = 0; i < 200; i++) {
          const ok = await fetch(`http://127.0.0.1:${ports[n]}/healthz`).then((r) => r.ok, () => false);
          if (ok) return;
          await sleep(50);
        }
        throw new Error(`instance ${n} did not start:\n${logs[n]}`);
      };
      try {
        // One after another: the first creates the schema, the others find it.
        for (const n of [0, 1, 2]) await start(n);

        const deliveries: { event: string; payload: Record<string, unknown>; guid: string; pr: number }[] = [];
        for (let i = 0; i < PULL_REQUESTS; i++) {
          const fake = stub.fakes.get(`org${i}`)!;
          const payload = (action: string, extra: Record<string, unknown> = {}) => ({
            action,
            number: fake.pr.number,
            installation: { id: 1000 + i },
            repository: { id: 5000 + i, name: "service", owner: { login: `org${i}` }, full_name: `org${i}/service` },
            pull_request: { number: fake.pr.number, state: "open", draft: false, title: fake.pr.title, user: { login: fake.pr.author }, base: { sha: fake.pr.baseSha, ref: "master" }, head: { sha: fake.pr.headSha } },
            sender: { login: "alice", type: "User" },
            ...extra,
          });
          deliveries.push({ event: "pull_request", payload: payload("opened"), guid: `opened-${i}`, pr: i });
          deliveries.push({ event: "pull_request", payload: payload("labeled", { label: { name: "ml" } }), guid: `labeled-${i}`, pr: i });
          deliveries.push({ event: "pull_request", payload: payload("edited", { changes: { body: { from: "x" } } }), guid: `edited-${i}`, pr: i });
          if (i % 3 === 2) {
            for (const reviewer of ["bob", "carol"]) {
              deliveries.push({ event: "pull_request_review", payload: payload("submitted", { review: { id: i * 10 + reviewer.length, state: "approved", user: { login: reviewer }, submitted_at: new Date().toISOString() } }), guid: `review-${reviewer}-${i}`, pr: i });
            }
          }
        }
        // Pull requests take turns so every instance sees every PR; one PR's events go in order.
        const byPr = new Map<number, typeof deliveries>();
        for (const delivery of deliveries) byPr.set(delivery.pr, [...(byPr.get(delivery.pr) ?? []), delivery]);
        let sent = 0;
        const killAt = Math.floor(deliveries.length / 3);
        const restartAt = Math.floor((2 * deliveries.length) / 3);
        await Promise.all(
          [...byPr.entries()].map(async ([pr, list]) => {
            await sleep(pr * 15);
            for (const delivery of list) {
              if (delivery.event === "pull_request_review") {
                const fake = stub.fakes.get(`org${pr}`)!;
                const login = (delivery.payload.review as { user: { login: string } }).user.login;
                fake.reviews.push({ author: login, state: "APPROVED" });
              }
              await sender.send(delivery.event, delivery.payload, delivery.guid);
              // Every seventh delivery reaches a second instance too, with the same X-GitHub-Delivery.
              if (sent % 7 === 0) await sender.send(delivery.event, delivery.payload, delivery.guid);
              sent += 1;
              if (sent === killAt) {
                instances[1]!.kill("SIGKILL");
                setTimeout(() => (routed[1] = false), 1_000);
              }
              if (sent === restartAt) {
                await start(1);
                routed[1] = true;
              }
            }
          }),
        );

        // Wait for every PR's final verdict (recovery redelivers what the dead instance missed).
        const settled = () =>
          repositories.every((_, i) => {
            const fake = stub.fakes.get(`org${i}`)!;
            const run = fake.checkRuns.filter((r) => r.head_sha === fake.pr.headSha).at(-1);
            return run?.status === "completed" && run.conclusion === expected(i);
          });
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        const allDone = async () => {
          const done = await client.query<{ id: string }>("SELECT id FROM deliveries WHERE state = 'done'");
          const ids = new Set(done.rows.map((row) => row.id));
          return deliveries.every((d) => ids.has(d.guid));
        };
        for (let i = 0; i < 300 && !(settled() && (await allDone())); i++) await sleep(500);
        const states = (await client.query<{ id: string; state: string }>("SELECT id, state FROM deliveries")).rows;
        const debug = JSON.stringify({
          jobs: (await client.query("SELECT id, queue_name, key, attempts, run_at, locked_by, locked_at, last_error FROM graphile_worker.jobs")).rows,
          queues: (await client.query("SELECT * FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL")).rows,
          workers: (await client.query("SELECT * FROM queue_workers")).rows,
        }, null, 1);
        await client.end();
        const byId = new Map(states.map((row) => [row.id, row.state]));
        const lost = deliveries.filter((d) => byId.get(d.guid) !== "done").map((d) => `${d.guid}:${byId.get(d.guid) ?? "missing"}`);
        if (lost.length > 0) writeFileSync("/tmp/e2e-logs.txt", `${lost.join("\n")}\n${debug}\n${logs.join("\n=====\n")}`);
        expect(lost).toEqual([]);
        expect(sender.log.filter((attempt) => attempt.status_code === 0).length).toBeGreaterThan(0);
        for (let i = 0; i < PULL_REQUESTS; i++) {
          const fake = stub.fakes.get(`org${i}`)!;
          const summaries = fake.comments.filter((c) => c.author === BOT && c.body.includes("<!-- accord:summary -->"));
          expect(summaries.length, `org${i}`).toBeLessThanOrEqual(1);
          const run = fake.checkRuns.filter((r) => r.head_sha === fake.pr.headSha).at(-1);
          expect({ pr: i, status: run?.status, conclusion: run?.conclusion }).toEqual({ pr: i, status: "completed", conclusion: expected(i) });
        }
      } finally {
        for (const child of instances) child?.kill("SIGTERM");
        await Promise.all(instances.map((child) => (child && child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : undefined)));
        await stub.close();
      }
    }, 240_000);
  },
);
