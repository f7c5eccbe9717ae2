/**
 * The command line of every `accord` command, read the way git reads its own: an option that
 * takes a value takes the next argument whatever it looks like (`--body "- bump aiohttp"`), or
 * the text after `=` (`--body=- bump`); `--` ends the options; `--help` / `-h` where an option
 * may stand asks for the command's help. Every mistake is one plain line (exit 2).
 */
import { CliError } from "./errors.js";

export interface OptionDef {
  /** Takes a value (`--base main`); otherwise a flag. */
  value: boolean;
  /** May be given several times; every value is kept. Otherwise the last one wins, as with git. */
  multiple?: boolean;
}

export interface ParsedCommandLine {
  /** Values by option name (without `--`), in the order given. */
  values: Map<string, string[]>;
  /** Flags given (options that take no value). */
  flags: Set<string>;
  positionals: string[];
  /** `--help` or `-h` was given where an option may stand. */
  help: boolean;
}

export interface CommandLineShape {
  options: Record<string, OptionDef>;
  /** How many positional arguments the command takes at most, and what they are called in messages. */
  positionals?: { max: number; name: string };
}

export function parseCommandLine(command: string, args: readonly string[], shape: CommandLineShape): ParsedCommandLine {
  const parsed: ParsedCommandLine = { values: new Map(), flags: new Set(), positionals: [], help: false };
  // The first mistake is reported, unless --help comes later: then the help is what was asked for.
  let mistake: string | undefined;
  const fail = (message: string) => {
    mistake ??= message;
  };
  const seeHelp = `\`accord help ${command}\` lists its options`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      parsed.positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === "--help" || arg === "-h") {
      parsed.help = true;
      continue;
    }
    if (arg.startsWith("--")) {
      const equals = arg.indexOf("=");
      const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      const inline = equals === -1 ? undefined : arg.slice(equals + 1);
      const def = Object.hasOwn(shape.options, name) ? shape.options[name] : undefined;
      if (!def) {
        fail(`\`--${name}\` is not an option of accord ${command}; ${seeHelp}.`);
        continue;
      }
      if (!def.value) {
        if (inline !== undefined) fail(`\`--${name}\` takes no value (it was given \`${arg}\`).`);
        parsed.flags.add(name);
        continue;
      }
      let value = inline;
      if (value === undefined) {
        if (i + 1 >= args.length) {
          fail(`\`--${name}\` needs a value: \`--${name} VALUE\` or \`--${name}=VALUE\`.`);
          continue;
        }
        value = args[++i]!;
      }
      const list = parsed.values.get(name);
      if (list && def.multiple) list.push(value);
      else parsed.values.set(name, [value]);
      continue;
    }
    if (arg.startsWith("-") && arg !== "-") {
      fail(`\`${arg}\` is not an option of accord ${command}; ${seeHelp}.`);
      continue;
    }
    parsed.positionals.push(arg);
  }
  const max = shape.positionals?.max ?? 0;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals.slice(max).map((p) => `\`${p}\``).join(", ");
    fail(max === 0 ? `accord ${command} takes no arguments (${extra} was given); ${seeHelp}.` : `accord ${command} takes at most ${max === 1 ? `one ${shape.positionals!.name}` : `${max} ${shape.positionals!.name}s`}; ${extra} is one too many.`);
  }
  if (mistake !== undefined && !parsed.help) throw new CliError(mistake);
  return parsed;
}

/** The last value of an option, or undefined. */
export function lastValue(parsed: ParsedCommandLine, name: string): string | undefined {
  return parsed.values.get(name)?.at(-1);
}

/** Every value of a repeatable option. */
export function allValues(parsed: ParsedCommandLine, name: string): string[] {
  return parsed.values.get(name) ?? [];
}
