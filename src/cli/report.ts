/** `accord report`: the friction report from the store named by DATABASE_URL (SPEC §3, §4). */
import { existsSync } from "node:fs";
import { buildReport, parseSince, renderReport, type ReportFormat } from "../report/index.js";
import { openStore, parseDatabaseUrl, StoreError, type SqlStore } from "../store/index.js";
import { CliError } from "./errors.js";
import type { CliIo } from "./main.js";

export const REPORT_USAGE = `accord report — which agreements cause friction, with the evidence to renegotiate them

Usage: accord report [--repo owner/name] [--since 30d] [--format text|json|markdown]

  --repo owner/name   the repository (optional when the store holds just one)
  --since WINDOW      days (30d), weeks (12w) or a date (2026-01-01); default 30d
  --format FORMAT     text (default), json, or markdown with a chart GitHub renders

The store is named by DATABASE_URL: sqlite:PATH (default sqlite:./data/accord.db) or postgres://…`;

const FORMATS: readonly ReportFormat[] = ["text", "json", "markdown"];

interface ReportArgs {
  repo?: string;
  since?: string;
  format: ReportFormat;
  help: boolean;
}

function parseArgs(args: readonly string[]): ReportArgs {
  const out: ReportArgs = { format: "text", help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") {
      out.help = true;
      continue;
    }
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (name !== "--repo" && name !== "--since" && name !== "--format") {
      throw new CliError(`\`${arg}\` is not an option of accord report.\n\n${REPORT_USAGE}`);
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) throw new CliError(`\`${name}\` needs a value.\n\n${REPORT_USAGE}`);
    if (name === "--repo") {
      if (!/^[^/\s]+\/[^/\s]+$/.test(value)) throw new CliError(`\`--repo ${value}\` should look like owner/name.`);
      out.repo = value;
    } else if (name === "--since") {
      out.since = value;
    } else {
      if (!FORMATS.includes(value as ReportFormat)) throw new CliError(`\`--format ${value}\` is not a report format: use text, json or markdown.`);
      out.format = value as ReportFormat;
    }
  }
  return out;
}

export async function runReport(args: string[], io: CliIo): Promise<number> {
  const options = parseArgs(args);
  if (options.help) {
    io.stdout(`${REPORT_USAGE}\n`);
    return 0;
  }
  const window = parseSince(options.since);
  if ("problem" in window) throw new CliError(window.problem);

  let store: SqlStore;
  try {
    const target = parseDatabaseUrl(io.env.DATABASE_URL, io.cwd);
    if (target.kind === "sqlite" && target.path !== ":memory:" && !existsSync(target.path)) {
      throw new CliError(
        `There is no friction record at ${target.path} yet. The app creates it when it records its first evaluation; point DATABASE_URL at the app's database (sqlite:PATH or postgres://…).`,
      );
    }
    store = await openStore(io.env.DATABASE_URL, io.cwd ? { cwd: io.cwd } : {});
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message);
    throw error;
  }

  try {
    const repos = await store.repositories();
    if (repos.length === 0) throw new CliError("The friction record has no repositories yet: nothing has been evaluated with this database.");
    let repo: string;
    if (options.repo) {
      const found = repos.find((name) => name.toLowerCase() === options.repo!.toLowerCase());
      if (!found) throw new CliError(`Nothing is recorded for ${options.repo}. Recorded ${repos.length === 1 ? "repository" : "repositories"}: ${repos.join(", ")}.`);
      repo = found;
    } else if (repos.length === 1) {
      repo = repos[0]!;
    } else {
      throw new CliError(`The friction record holds several repositories; choose one with --repo: ${repos.join(", ")}.`);
    }
    const report = buildReport(await store.reportData(repo, window));
    io.stdout(renderReport(report, options.format));
    return 0;
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message);
    if (error instanceof CliError) throw error;
    const code = (error as { code?: string }).code;
    if (code && /^(ECONN|ETIMEDOUT|57P|08)/.test(code)) throw new CliError(`The database stopped answering while reading the report (${code}). Try again.`);
    throw error;
  } finally {
    await store.close();
  }
}
