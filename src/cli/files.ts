/** `accord validate`, `accord schema` and `accord init`. */
import { existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { formatProblem, parseAgreements } from "../agreement/parse.js";
import { AGREEMENT_FILE_PATHS, agreementJsonSchema } from "../agreement/schema.js";
import { plural } from "../engine/context.js";
import { CliError } from "./errors.js";
import { repositoryRoot } from "./git.js";
import { formatWarning, unmatchedGlobWarnings } from "./glob-warnings.js";
import { STARTER_AGREEMENTS } from "./starter.js";

type Print = (text: string) => void;

/** How to show `target` to someone standing in `cwd`: relative when it is below or near, as git does. */
function shown(target: string, cwd: string): string {
  const from = realpathOr(cwd);
  const path = relative(from, realpathOr(target)) || ".";
  return path.startsWith("../../..") || isAbsolute(path) ? target : path;
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Where the agreement file lives for someone in `cwd`: the repository root, else `cwd` itself. */
async function agreementHome(cwd: string): Promise<{ dir: string; inRepository: boolean }> {
  const root = await repositoryRoot(cwd);
  return root ? { dir: root, inRepository: true } : { dir: cwd, inRepository: false };
}

export async function runValidate(file: string | undefined, out: Print, cwd = process.cwd()): Promise<number> {
  let absolute: string;
  let name: string;
  if (file !== undefined) {
    absolute = resolve(cwd, file);
    name = file;
  } else {
    const home = await agreementHome(cwd);
    const found = AGREEMENT_FILE_PATHS.find((candidate) => existsSync(join(home.dir, candidate))) ?? AGREEMENT_FILE_PATHS[0];
    absolute = join(home.dir, found);
    name = shown(absolute, cwd);
  }
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch {
    throw new CliError(`${name}: there is no such file. Pass the agreement file's path, or run \`accord init\` to write a starter.`);
  }
  const parsed = parseAgreements(text, name);
  if (!parsed.ok) {
    out(`${parsed.problems.map(formatProblem).join("\n")}\n`);
    return 1;
  }
  // Globs are checked against the repository the file sits in; outside one there is nothing to check them against.
  const warnings = await unmatchedGlobWarnings(parsed.file, text, name, dirname(absolute));
  if (warnings.length > 0) out(`${warnings.map(formatWarning).join("\n")}\n`);
  out(`${name}: valid (${plural(parsed.file.agreements.length, "agreement")}, ${plural(Object.keys(parsed.file.teams).length, "team")})\n`);
  return 0;
}

export function runSchema(out: Print): number {
  out(`${JSON.stringify(agreementJsonSchema(), null, 2)}\n`);
  return 0;
}

export async function runInit(out: Print, cwd = process.cwd()): Promise<number> {
  const home = await agreementHome(cwd);
  const existing = AGREEMENT_FILE_PATHS.find((path) => existsSync(join(home.dir, path)));
  if (existing) {
    throw new CliError(`${shown(join(home.dir, existing), cwd)} already exists; accord init leaves it as it is. Edit it, or check it with \`accord validate\`.`, 1);
  }
  const target = join(home.dir, AGREEMENT_FILE_PATHS[0]);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, STARTER_AGREEMENTS, { flag: "wx" });
  const where = home.inRepository && realpathOr(home.dir) !== realpathOr(cwd) ? " at the repository root" : "";
  out(
    `Wrote ${shown(target, cwd)}${where} with two teams and four typical agreements.\n` +
      "Edit the team slugs and paths (`accord validate` warns about paths that match no file), then commit it to your default branch; `accord check` shows what a branch would get.\n",
  );
  return 0;
}
