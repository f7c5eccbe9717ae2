#!/usr/bin/env node
/** The `accord` command: validate, schema, init, check, report. */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CHECK_USAGE, runCheck } from "./check.js";
import { CliError } from "./errors.js";
import { runInit, runSchema, runValidate } from "./files.js";
import { runReport } from "./report.js";

export const USAGE = `accord — team agreements, checked on every pull request

Usage:
  accord validate [FILE]   check an agreement file; prints FILE:LINE:COL: message per problem
  accord schema            print the JSON Schema of the agreement file
  accord init              write a commented starter .github/agreements.yml
  accord check [options]   judge a local branch as if it were a pull request (accord check --help)
  accord report [options]  the friction report from the store named by DATABASE_URL

Exit status: 0 fine, 1 failure or invalid file, 2 usage or configuration problems.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  colour: boolean;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "validate":
        return await runValidate(rest, io.stdout);
      case "schema":
        return runSchema(io.stdout);
      case "init":
        return await runInit(rest, io.stdout, io.cwd);
      case "check":
        if (rest.includes("--help") || rest.includes("-h")) {
          io.stdout(`${CHECK_USAGE}\n`);
          return 0;
        }
        return await runCheck(rest, io);
      case "report":
        return await runReport(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`\`${command}\` is not an accord command.\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`accord: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`accord: something unexpected went wrong: ${error instanceof Error ? error.message : String(error)}\nPlease report this with the command you ran.\n`);
    return 2;
  }
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    colour: process.stdout.isTTY === true && !process.env.NO_COLOR,
    env: process.env,
  });
  process.exitCode = code;
}
