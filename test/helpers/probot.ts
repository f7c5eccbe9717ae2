/** A Probot instance wired to the Accord app and a FakeGitHub, with the real webhook examples. */
import { createRequire } from "node:module";
import { Probot, ProbotOctokit } from "probot";
import { accordApp, type AccordAppOptions, type AccordHandle } from "../../src/github/app.js";
import { GitHubCaches } from "../../src/github/gather.js";
import type { FakeGitHub } from "./fake-github.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, unknown>[] }[];

export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } }));

/** Each test app's handle, so `deliver` can wait for its queue. */
const handles = new WeakMap<Probot, Promise<AccordHandle>>();

/**
 * In tests the durable queue tries a job once (a failure is final, as without a queue) and looks
 * for due jobs often; `deliver` waits until the queue has run what it was given.
 */
export const TEST_QUEUE = { maxAttempts: 1, pollMs: 20, backoffMs: () => 10 };

export function createTestApp(fake: FakeGitHub, options: AccordAppOptions & { Octokit?: typeof ProbotOctokit } = {}) {
  const caches = options.caches ?? new GitHubCaches();
  const probot = new Probot({ appId: fake.appId, githubToken: "test-token", Octokit: options.Octokit ?? TestOctokit, logLevel: "fatal" });
  let ready!: (handle: AccordHandle) => void;
  handles.set(probot, new Promise<AccordHandle>((resolve) => (ready = resolve)));
  void probot.load(
    accordApp({
      appId: fake.appId,
      caches,
      queue: TEST_QUEUE,
      ...options,
      onReady: (handle) => {
        options.onReady?.(handle);
        ready(handle);
      },
    }),
  );
  return { probot, caches, handle: () => handles.get(probot)! };
}

/** A real example payload of `name` with `action`, patched to point at the fake's PR. */
export function examplePayload(name: string, action: string, fake: FakeGitHub): Record<string, any> {
  const group = examples.find((e) => e.name === name);
  // The examples have no pull_request.edited: craft it from the closest one, as GitHub sends it.
  const crafted = name === "pull_request" && action === "edited";
  const example = group?.examples.find((e) => e.action === (crafted ? "labeled" : action));
  if (!example) throw new Error(`no example for ${name}.${action}`);
  const payload = structuredClone(example) as Record<string, any>;
  if (crafted) {
    payload.action = "edited";
    delete payload.label;
    payload.changes = { body: { from: "the previous description" } };
  }
  payload.installation = { id: 4242, node_id: "x" };
  // One repository: the examples carry different ids, and Accord keys its record by the id.
  payload.repository.id = fake.repoId;
  payload.repository.name = fake.repo;
  payload.repository.owner.login = fake.owner;
  payload.repository.full_name = `${fake.owner}/${fake.repo}`;
  const pr = payload.pull_request;
  if (pr) {
    pr.number = fake.pr.number;
    pr.state = fake.pr.state === "OPEN" ? "open" : "closed";
    pr.base.sha = fake.pr.baseSha;
    pr.head.sha = fake.pr.headSha;
    pr.draft = fake.pr.draft;
  }
  return payload;
}

let deliveries = 0;
/** Delivers a webhook and waits until Accord has handled it; rejects, as the handling did, when it failed. */
export async function deliver(probot: Probot, name: string, payload: Record<string, unknown>, id = `delivery-${++deliveries}`): Promise<void> {
  const handle = await handles.get(probot);
  await probot.receive({ id, name, payload } as never);
  if (!handle?.queue) return;
  await handle.drain();
  const dead = (await handle.queue.dead(1_000)).find((delivery) => delivery.id === id);
  if (dead) throw new Error(`delivery ${id} failed: ${dead.error}`);
}
