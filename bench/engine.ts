/** Engine speed: 3,000 changed files against 200 agreements × 5 globs, beside the naive loop. */
import { Minimatch } from "minimatch";
import { evaluate } from "../src/engine/evaluate.js";
import { normalisePathGlob } from "../src/engine/globs.js";
import { median, ms, timeRuns } from "./stats.js";
import { syntheticAgreementFile, syntheticFacts, syntheticFiles } from "./synthetic.js";

export function benchEngine(print: (line: string) => void): void {
  const files = syntheticFiles(3000);
  const file = syntheticAgreementFile(200, 5);
  const facts = syntheticFacts(files);
  const runs = 30;

  const engineTimes = timeRuns(runs, () => evaluate(file, facts));

  // The naive loop: a precompiled Minimatch per glob (written out as Accord reads path globs), tested against every file, for the same scopes.
  const minimatchOf = (glob: string) => new Minimatch(normalisePathGlob(glob), { dot: true });
  const compiled = file.agreements.map((agreement) => ({
    paths: (agreement.when?.paths ?? []).map(minimatchOf),
    ignore: (agreement.when?.paths_ignore ?? []).map(minimatchOf),
  }));
  let naiveScoped = 0;
  const naiveTimes = timeRuns(
    Math.max(20, Math.floor(runs / 3)),
    () => {
      naiveScoped = 0;
      for (const agreement of compiled) {
        for (const changed of files) {
          if (agreement.ignore.some((glob) => glob.match(changed.path))) continue;
          if (agreement.paths.some((glob) => glob.match(changed.path))) naiveScoped += 1;
        }
      }
    },
    1,
  );
  const engineScoped = evaluate(file, facts).agreements.reduce((sum, a) => sum + a.scope.length, 0);

  const engineMedian = median(engineTimes);
  const naiveMedian = median(naiveTimes);
  print("engine: 3,000 changed files × 200 agreements × 5 path globs");
  print(`  evaluate()            median ${ms(engineMedian)} over ${engineTimes.length} runs (target ≤ 20 ms)`);
  print(`  naive Minimatch loop  median ${ms(naiveMedian)} over ${naiveTimes.length} runs (scopes only)`);
  print(`  ratio                 ${(naiveMedian / engineMedian).toFixed(1)}× faster (target ≥ 30×)`);
  print(`  check                 same scoped file count: ${engineScoped === naiveScoped ? "yes" : `NO (${engineScoped} vs ${naiveScoped})`}`);
}
