/** runBounded from compiled sources (as deployed): a worker thread with a time and memory limit. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compiledSources } from "../helpers/compiled.js";

const tasks = new URL("../fixtures/workers/tasks.mjs", import.meta.url);
/** The inline fallback must not run when a worker can: it says so if it does. */
const notInline = () => {
  throw new Error("ran inline instead of in a worker");
};
const load = async () => (await import(join(compiledSources(), "src", "util", "bounded.js"))) as typeof import("../../src/util/bounded.js");

describe("runBounded", () => {
  it("returns the task's answer", async () => {
    const { runBounded } = await load();
    expect(await runBounded(tasks, "double", 21, { timeoutMs: 5_000, maxHeapMb: 64 }, notInline)).toEqual({ ok: true, value: 42 });
  });

  it("stops a task that never ends, and the event loop stays free meanwhile", async () => {
    const { runBounded } = await load();
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    const result = await runBounded(tasks, "spin", null, { timeoutMs: 300, maxHeapMb: 64 }, notInline);
    clearInterval(timer);
    expect(result).toEqual({ ok: false, reason: "timeout", message: "took longer than 300 ms" });
    expect(ticks).toBeGreaterThan(5);
  });

  it("stops a task that takes too much memory", async () => {
    const { runBounded } = await load();
    expect(await runBounded(tasks, "hog", null, { timeoutMs: 20_000, maxHeapMb: 32 }, notInline)).toMatchObject({ ok: false, reason: "memory" });
  });

  it("hands back a task's error", async () => {
    const { runBounded } = await load();
    expect(await runBounded(tasks, "fail", null, { timeoutMs: 5_000, maxHeapMb: 64 }, notInline)).toEqual({ ok: false, reason: "error", message: "the task gave up" });
  });

  it("runs the function in this thread when there is no worker file to start (the Action's bundle)", async () => {
    const { runBounded } = await load();
    expect(await runBounded(new URL("file:///nowhere/module.js"), "double", 4, { timeoutMs: 1_000, maxHeapMb: 64 }, (n: number) => n * 3)).toEqual({ ok: true, value: 12 });
  });
});
