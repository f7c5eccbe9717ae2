#!/usr/bin/env node
/** The `accord` command: validate, schema, init, check, report. */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseCommandLine } from "./args.js";
import { CHECK_OPTIONS, runCheck } from "./check.js";
import { CliError } from "./errors.js";
import { runInit, runSchema, runValidate } from "./files.js";
import { COMMAND_USAGE, COMMANDS, USAGE, packageVersion } from "./help.js";
import { REPORT_OPTIONS, runReport } from "./report.js";

export { USAGE } from "./help.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  colour: boolean;
  env: NodeJS.ProcessEnv;
  /** The working directory (default: the process's). */
  cwd?: string;
}

const NOT_A_COMMAND = (name: string) => `\`${name}\` is not an accord command; the commands are ${COMMANDS.join(", ")} (\`accord help\` says what each does).`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const cwd = io.cwd ?? process.cwd();
  try {
    switch (command) {
      case "validate": {
        const parsed = parseCommandLine("validate", rest, { options: {}, positionals: { max: 1, name: "FILE" } });
        if (parsed.help) return help(io, "validate");
        return await runValidate(parsed.positionals[0], io.stdout, cwd);
      }
      case "schema": {
        if (parseCommandLine("schema", rest, { options: {} }).help) return help(io, "schema");
        return runSchema(io.stdout);
      }
      case "init": {
        if (parseCommandLine("init", rest, { options: {} }).help) return help(io, "init");
        return await runInit(io.stdout, cwd);
      }
      case "check": {
        const parsed = parseCommandLine("check", rest, { options: CHECK_OPTIONS });
        if (parsed.help) return help(io, "check");
        return await runCheck(parsed, { ...io, cwd });
      }
      case "report": {
        const parsed = parseCommandLine("report", rest, { options: REPORT_OPTIONS });
        if (parsed.help) return help(io, "report");
        return await runReport(parsed, { ...io, cwd });
      }
      case "--version":
      case "-V":
      case "version":
        io.stdout(`accord ${packageVersion()} (accord-agreements)\n`);
        return 0;
      case "help": {
        const topic = rest.find((arg) => arg !== "--help" && arg !== "-h");
        if (topic === undefined) {
          io.stdout(`${USAGE}\n`);
          return 0;
        }
        if (!Object.hasOwn(COMMAND_USAGE, topic)) throw new CliError(NOT_A_COMMAND(topic));
        return help(io, topic);
      }
      case undefined:
        io.stdout(`${USAGE}\n`);
        return 2;
      case "--help":
      case "-h":
        io.stdout(`${USAGE}\n`);
        return 0;
      default:
        throw new CliError(NOT_A_COMMAND(command));
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

function help(io: CliIo, command: string): number {
  io.stdout(`${COMMAND_USAGE[command]}\n`);
  return 0;
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
