/**
 * The evaluation command: `npm run eval:reviewers -- --dataset FILE [--seed N]`.
 * Replays a review-history JSONL by the README protocol and prints one line per
 * suggester: Accord's ranking and the baselines, all from the same replay.
 * Output goes through the given writers so tests can run it in-process.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { AccordSuggester, DEFAULT_ACCORD_SUGGESTER } from "./accord-suggester.js";
import { BusiestReviewerSuggester, FileReviewersSuggester, RandomSuggester } from "./baselines.js";
import { DatasetLineError, parseReviewHistory, type ReviewRecord } from "./dataset.js";
import { runProtocol, type SuggesterResult } from "./protocol.js";

const USAGE = "usage: npm run eval:reviewers -- --dataset FILE [--seed N]";

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const CONSOLE: CliOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };

/** Runs the evaluation; returns the exit code (0 done, 2 usage or input error). */
export function runEvalCli(argv: readonly string[], io: CliOutput = CONSOLE): number {
  let values: { dataset?: string | undefined; seed?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { dataset: { type: "string" }, seed: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!values.dataset) {
    io.err(USAGE);
    return 2;
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) {
    io.err(`--seed must be an integer\n${USAGE}`);
    return 2;
  }

  let text: string;
  try {
    text = readFileSync(values.dataset, "utf8");
  } catch (error) {
    io.err(`cannot read ${values.dataset}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 2;
  }
  let records: ReviewRecord[];
  try {
    records = parseReviewHistory(text, basename(values.dataset));
  } catch (error) {
    if (error instanceof DatasetLineError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }
  if (records.length === 0) {
    io.err(`${values.dataset} holds no records`);
    return 2;
  }

  const started = performance.now();
  const results = runProtocol(records, [
    new AccordSuggester(),
    // The same expertise without rotation: shows what rotating first place costs and buys.
    new AccordSuggester({ ...DEFAULT_ACCORD_SUGGESTER, rank: { rotation: { poolSize: 1 } } }, "accord-no-rotation"),
    new RandomSuggester(seed),
    new BusiestReviewerSuggester(),
    new FileReviewersSuggester(),
  ]);
  io.out(`dataset ${basename(values.dataset)}: ${records.length} records`);
  for (const result of results) io.out(formatResult(result));
  io.out(`total ${formatSeconds(performance.now() - started)}`);
  return 0;
}

export function formatResult(result: SuggesterResult): string {
  return [
    result.name.padEnd(18),
    `hit@1 ${result.hitAt1.toFixed(3)}`,
    `hit@3 ${result.hitAt3.toFixed(3)}`,
    `mrr@10 ${result.mrrAt10.toFixed(3)}`,
    `gini ${result.gini.toFixed(2)}`,
    `first-placed ${String(result.firstPlaces.size).padStart(2)}`,
    `scored ${result.scored}`,
    formatSeconds(result.elapsedMs),
  ].join("  ");
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}
