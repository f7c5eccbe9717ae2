/**
 * Two Accord app processes, one PostgreSQL, one GitHub: the same deliveries reach both, and
 * different events for one PR arrive at both at once. The database — not process memory — must
 * make each delivery count once and leave exactly one comment and one check run.
 */
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStub } from "../../bench/github-stub.js";
import { openStore } from "../../src/store/index.js";
import { BOT } from "../fakes/fake-github.js";
import { dropSchema, POSTGRES_SKIPPED, POSTGRES_URL } from "../store/helpers.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const buildDir = join(root, "node_modules", ".cache", `accord-instances-${process.pid}`);
const AGREEMENTS = readFileSync(new URL("../fixtures/agreements/app-basic.yml", import.meta.url), "utf8");

interface Instance {
  child: ChildProcessWithoutNullStreams;
  answers: Map<string, { ok: boolean; error?: string }>;
  waiters: Map<string, () => void>;
}

function startInstance(url: string, schema: string): Promise<Instance> {
  const child = spawn(process.execPath, [join(buildDir, "test/github/instance-worker.js"), url, POSTGRES_URL!, schema], { cwd: root });
  const instance: Instance = { child, answers: new Map(), waiters: new Map() };
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line === "ready") return resolve(instance);
      const answer = JSON.parse(line) as { id: string; ok: boolean; error?: string };
      instance.answers.set(answer.id, answer);
      instance.waiters.get(answer.id)?.();
    });
  });
}

function send(instance: Instance, delivery: { id: string; name: string; payload: unknown }): Promise<void> {
  return new Promise((resolve) => {
    instance.waiters.set(delivery.id, resolve);
    instance.child.stdin.write(`${JSON.stringify(delivery)}\n`);
  });
}

describe.skipIf(!POSTGRES_URL)(POSTGRES_URL ? "two app processes sharing one PostgreSQL and one GitHub" : POSTGRES_SKIPPED, () => {
  const schema = `accord_instances_${process.pid}`;

  beforeAll(() => {
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(join(buildDir, "package.json"), '{"type":"module"}\n');
    try {
      execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "test/github/tsconfig.instances.json"), "--outDir", buildDir], { cwd: root, stdio: "pipe" });
    } catch (error) {
      if (!existsSync(join(buildDir, "test/github/instance-worker.js"))) throw error;
    }
  }, 120_000);

  afterAll(async () => {
    rmSync(buildDir, { recursive: true, force: true });
    if (POSTGRES_URL) await dropSchema(POSTGRES_URL, schema);
  });

  it("counts each delivery once and leaves one comment and one check run", async () => {
    const stub = await startStub([{ owner: "acme", repo: "models", agreement: AGREEMENTS, files: [{ filename: "models/model.pkl", status: "added", additions: 0, deletions: 0 }] }]);
    const fake = stub.fakes.get("acme")!;
    const instances = await Promise.all([startInstance(stub.url, schema), startInstance(stub.url, schema)]);
    try {
      const payload = (action: string) => ({
        action,
        number: fake.pr.number,
        installation: { id: 1 },
        repository: { name: "models", owner: { login: "acme" }, full_name: "acme/models" },
        pull_request: { number: fake.pr.number, state: "open", draft: false, title: fake.pr.title, user: { login: fake.pr.author }, base: { sha: fake.pr.baseSha, ref: "master" }, head: { sha: fake.pr.headSha } },
        sender: { login: "alice", type: "User" },
      });
      // The same delivery to both instances at once, five times; then distinct events for the one PR, at once.
      const same = Array.from({ length: 5 }, (_, i) => ({ id: `same-${i}`, name: "pull_request", payload: payload(i === 0 ? "opened" : "labeled") }));
      for (const delivery of same) await Promise.all(instances.map((instance) => send(instance, delivery)));
      const distinct = Array.from({ length: 6 }, (_, i) => ({ id: `distinct-${i}`, name: "pull_request", payload: payload(i % 2 ? "labeled" : "edited") }));
      await Promise.all(distinct.map((delivery, i) => send(instances[i % 2]!, delivery)));

      for (const instance of instances) expect([...instance.answers.values()].filter((a) => !a.ok)).toEqual([]);
      expect(fake.comments.filter((c) => c.author === BOT)).toHaveLength(1);
      expect(fake.checkRuns.filter((r) => r.head_sha === fake.pr.headSha)).toHaveLength(1);
      const store = await openStore(POSTGRES_URL, { schema });
      try {
        // 5 shared deliveries counted once each, plus 6 distinct ones.
        expect((await store.evaluationHistory("acme/models", fake.pr.number)).length).toBe(11);
      } finally {
        await store.close();
      }
    } finally {
      for (const instance of instances) instance.child.stdin.end();
      await Promise.all(instances.map((instance) => new Promise((resolve) => instance.child.once("exit", resolve))));
      await stub.close();
    }
  }, 120_000);
});
