/**
 * Runs one exported function of a module in a worker thread with a time and memory limit, so
 * input nobody vetted (an agreement file proposed by any fork) cannot stall the service or
 * exhaust its memory: the event loop keeps serving every other pull request meanwhile.
 *
 * Where there is no compiled worker file to start — TypeScript sources under the test runner,
 * or the GitHub Action's single-file bundle, whose job is its own sandbox — the function runs
 * in this thread with the same interface; the built app always uses a worker.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

export interface Limits {
  timeoutMs: number;
  /** V8's old-generation heap limit for the worker. */
  maxHeapMb: number;
}

export type BoundedResult<T> = { ok: true; value: T } | { ok: false; reason: "timeout" | "memory" | "error"; message: string };

const WORKER_URL = new URL("./bounded-worker.js", import.meta.url);
let workerFile: boolean | undefined;

/**
 * Calls `moduleUrl`'s `exportName(input)` in a worker; the input and result must survive
 * structured cloning. Without a worker file, calls `inline(input)` here instead.
 */
export async function runBounded<I, T>(moduleUrl: URL, exportName: string, input: I, limits: Limits, inline: (input: I) => T | Promise<T>): Promise<BoundedResult<T>> {
  workerFile ??= import.meta.url.endsWith(".js") && existsSync(fileURLToPath(WORKER_URL));
  if (!workerFile || !existsSync(fileURLToPath(moduleUrl))) return runInline(inline, input);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: BoundedResult<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const worker = new Worker(WORKER_URL, {
      workerData: { module: moduleUrl.href, name: exportName, input },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb, maxYoungGenerationSizeMb: Math.max(4, Math.floor(limits.maxHeapMb / 8)) },
    });
    const timer = setTimeout(() => settle({ ok: false, reason: "timeout", message: `took longer than ${limits.timeoutMs} ms` }), limits.timeoutMs);
    worker.once("message", (message: { ok: boolean; value?: T; message?: string }) =>
      settle(message.ok ? { ok: true, value: message.value as T } : { ok: false, reason: "error", message: message.message ?? "failed" }),
    );
    worker.once("error", (error: Error & { code?: string }) =>
      settle({ ok: false, reason: error.code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : "error", message: error.code === "ERR_WORKER_OUT_OF_MEMORY" ? `needed more than ${limits.maxHeapMb} MB` : error.message }),
    );
    worker.once("exit", (code) => settle({ ok: false, reason: "error", message: `the worker stopped (exit code ${code})` }));
  });
}

async function runInline<I, T>(inline: (input: I) => T | Promise<T>, input: I): Promise<BoundedResult<T>> {
  try {
    return { ok: true, value: await inline(structuredClone(input)) };
  } catch (error) {
    return { ok: false, reason: "error", message: error instanceof Error ? error.message : String(error) };
  }
}
