/** Entry point of `npm run eval:reviewers -- --dataset FILE`; the work is in cli.ts. */
import { runEvalCli } from "./cli.js";

process.exitCode = runEvalCli(process.argv.slice(2));
