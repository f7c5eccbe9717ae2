/** `npm run bench`: prints the figures each issue asks for. `npm run bench -- engine` runs one part. */
import { benchCli } from "./cli.js";
import { benchEngine } from "./engine.js";
import { callsPerEvent, memory, memoryAsServed, memoryLargePullRequests } from "./github.js";
import { intakeDurability, intakeLatency } from "./intake.js";

const parts: Record<string, (print: (line: string) => void) => void | Promise<void>> = {
  engine: benchEngine,
  cli: benchCli,
  "github-calls": callsPerEvent,
  "github-latency": intakeLatency,
  "github-durability": intakeDurability,
  "github-memory": (print) => memoryAsServed(print),
  "github-memory-large": (print) => memoryAsServed(print, "--memory-large-child"),
  store: async (print) => (await import("./store.js")).benchStore(print),
  dashboard: async (print) => (await import("./dashboard.js")).benchDashboard(print),
};

// The memory part re-runs itself in a child with the server's Node flags (see memoryAsServed).
if (process.argv[2] === "--memory-child" || process.argv[2] === "--memory-large-child") {
  await (process.argv[2] === "--memory-child" ? memory : memoryLargePullRequests)((line) => console.log(line));
  process.exit(0);
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in parts));
if (unknown.length > 0) {
  console.error(`Unknown bench part ${unknown.join(", ")}; parts: ${Object.keys(parts).join(", ")}`);
  process.exit(2);
}
for (const [name, run] of Object.entries(parts)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  await run((line) => console.log(line));
  console.log("");
}
