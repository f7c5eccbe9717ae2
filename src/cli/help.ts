/** The help of `accord` and of each of its commands (`accord help <command>`, `accord <command> --help`). */
import { readFileSync } from "node:fs";

export const USAGE = `accord — team agreements, checked on every pull request

Usage:
  accord validate [FILE]   check an agreement file; prints FILE:LINE:COL: message per problem
  accord schema            print the JSON Schema of the agreement file
  accord init              write a commented starter .github/agreements.yml
  accord check [options]   judge a local branch as if it were a pull request
  accord report [options]  the friction report from the store named by DATABASE_URL
  accord help <command>    the help of one command (also: accord <command> --help)
  accord --version         the version of accord

Exit status: 0 fine, 1 failure or invalid file, 2 usage or configuration problems.`;

export const VALIDATE_USAGE = `Usage: accord validate [FILE]

Checks an agreement file and prints FILE:LINE:COL: message for each problem: what is
wrong, what it is now and how to fix it.

FILE defaults to .github/agreements.yml (else .yaml) at the root of the git repository you
are in, so it works from any subdirectory; outside a repository, in the current directory.

Inside a git repository it also warns, as FILE:LINE:COL: warning: message, about each glob
(when.paths, when.paths_ignore, companions, forbidden, size.ignore) that matches no file
tracked at HEAD (\`git ls-files\`). Warnings never change the exit status.

Exit status: 0 valid, 1 invalid, 2 no such file or a usage problem.`;

export const SCHEMA_USAGE = `Usage: accord schema

Prints the JSON Schema (draft 2020-12) of the agreement file, for your editor's YAML
plugin. The same schema is committed as config/agreements.schema.json.

Exit status: 0.`;

export const INIT_USAGE = `Usage: accord init

Writes a commented starter .github/agreements.yml (two teams, four typical agreements) at
the root of the git repository you are in, or in the current directory outside one. It
never overwrites an existing .github/agreements.yml or .yaml.

Exit status: 0 written, 1 a file is already there, 2 a usage problem.`;

export const CHECK_USAGE = `Usage: accord check [options]

Judges the commits of --head as if they were a pull request into --base: the changed files
of \`git diff BASE...HEAD\`, the agreement file at the tip of BASE. Uncommitted changes are
not included.

  --repo DIR          the git repository, or any directory inside it (default: .)
  --base REF          the target branch (default: the remote's default branch, else main)
  --head REF          the change (default: HEAD)
  --config FILE       use this agreement file instead of the one at the base
  --title TEXT        the PR title (default: the head commit's subject)
  --body TEXT         the PR description (default: the head commit's message body)
  --body-file FILE    read the PR description from a file (- for standard input)
  --author LOGIN      the PR author (default: derived from the head commit's author)
  --label NAME        a label on the PR (repeatable)
  --approved-by LOGIN someone who approved (repeatable)
  --waive ID          treat an agreement as waived (repeatable)
  --format FORMAT     text, json or markdown (default: text)

A value may begin with "-" (--body "- bump aiohttp"); --name=value works too.

Exit status: 0 success, neutral or waiting; 1 failure; 2 usage or configuration problems.`;

export const REPORT_USAGE = `accord report — which agreements cause friction, with the evidence to renegotiate them

Usage: accord report [--repo owner/name | --org OWNER] [--since 30d] [--format text|json|markdown]

  --repo owner/name   the repository (optional when the store holds just one)
  --org OWNER         every repository recorded for an owner, as one report
  --since WINDOW      days (30d), weeks (12w) or a date (2026-01-01); default 30d
  --format FORMAT     text (default), json, or markdown with a chart GitHub renders

The store is named by DATABASE_URL: sqlite:PATH (default sqlite:./data/accord.db) or postgres://…`;

export const COMMAND_USAGE: Record<string, string> = {
  validate: VALIDATE_USAGE,
  schema: SCHEMA_USAGE,
  init: INIT_USAGE,
  check: CHECK_USAGE,
  report: REPORT_USAGE,
};

export const COMMANDS = Object.keys(COMMAND_USAGE);

/** The version in package.json (the package is `accord-agreements`; the command is `accord`). */
export function packageVersion(): string {
  // src/cli/help.ts and dist/cli/help.js both sit two folders below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name?: string; version?: string };
  return pkg.version ?? "unknown";
}
