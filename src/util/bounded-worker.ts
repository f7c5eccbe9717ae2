/** The worker side of `runBounded`: imports the module, calls the function once, posts the answer. */
import { parentPort, workerData } from "node:worker_threads";

const { module, name, input } = workerData as { module: string; name: string; input: unknown };
try {
  const loaded = (await import(module)) as Record<string, (input: unknown) => unknown>;
  parentPort!.postMessage({ ok: true, value: await loaded[name]!(input) });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
