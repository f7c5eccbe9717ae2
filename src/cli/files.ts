/** `accord validate`, `accord schema` and `accord init`. */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { formatProblem, parseAgreements } from "../agreement/parse.js";
import { AGREEMENT_FILE_PATHS, agreementJsonSchema } from "../agreement/schema.js";
import { plural } from "../engine/context.js";
import { CliError } from "./errors.js";
import { STARTER_AGREEMENTS } from "./starter.js";

type Print = (text: string) => void;

export async function runValidate(args: string[], out: Print): Promise<number> {
  if (args.length > 1 || args.some((arg) => arg.startsWith("-") && arg !== "-")) throw new CliError("Usage: accord validate [FILE]  (default: .github/agreements.yml or .yaml)");
  const path = args[0] ?? AGREEMENT_FILE_PATHS.find((candidate) => existsSync(candidate)) ?? AGREEMENT_FILE_PATHS[0];
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new CliError(`${path}: there is no such file. Pass the agreement file's path, or run \`accord init\` to write a starter.`);
  }
  const parsed = parseAgreements(text, path);
  if (!parsed.ok) {
    out(`${parsed.problems.map(formatProblem).join("\n")}\n`);
    return 1;
  }
  out(`${path}: valid (${plural(parsed.file.agreements.length, "agreement")}, ${plural(Object.keys(parsed.file.teams).length, "team")})\n`);
  return 0;
}

export function runSchema(out: Print): number {
  out(`${JSON.stringify(agreementJsonSchema(), null, 2)}\n`);
  return 0;
}

export async function runInit(args: string[], out: Print, cwd = process.cwd()): Promise<number> {
  if (args.length > 0) throw new CliError("Usage: accord init  (writes .github/agreements.yml in the current directory)");
  const existing = AGREEMENT_FILE_PATHS.find((path) => existsSync(join(cwd, path)));
  if (existing) throw new CliError(`${existing} already exists; accord init leaves it as it is. Edit it, or check it with \`accord validate\`.`, 1);
  const target = join(cwd, AGREEMENT_FILE_PATHS[0]);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, STARTER_AGREEMENTS, { flag: "wx" });
  out(`Wrote ${AGREEMENT_FILE_PATHS[0]} with two teams and four typical agreements.\nEdit the team slugs and paths, then commit it to your default branch; \`accord check\` shows what a branch would get.\n`);
  return 0;
}
