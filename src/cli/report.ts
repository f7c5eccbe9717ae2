/** `accord report`: the friction report from the store named by DATABASE_URL (SPEC §3, §4). */
import { existsSync } from "node:fs";
import { buildReport, organizationReport, parseSince, renderOrganizationReport, renderReport, type ReportFormat } from "../report/index.js";
import { openStore, parseDatabaseUrl, StoreError, type SqlStore } from "../store/index.js";
import { lastValue, type OptionDef, type ParsedCommandLine } from "./args.js";
import { CliError } from "./errors.js";
import type { CliIo } from "./main.js";

export { REPORT_USAGE } from "./help.js";

const FORMATS: readonly ReportFormat[] = ["text", "json", "markdown"];

export const REPORT_OPTIONS: Record<string, OptionDef> = {
  repo: { value: true },
  org: { value: true },
  since: { value: true },
  format: { value: true },
};

interface ReportArgs {
  repo?: string;
  org?: string;
  since?: string;
  format: ReportFormat;
}

function reportArgs(parsed: ParsedCommandLine): ReportArgs {
  const out: ReportArgs = { format: "text" };
  const repo = lastValue(parsed, "repo");
  const since = lastValue(parsed, "since");
  const format = lastValue(parsed, "format");
  const org = lastValue(parsed, "org");
  for (const [name, value] of [["repo", repo], ["org", org], ["since", since], ["format", format]] as const) {
    if (value === "") throw new CliError(`\`--${name}\` needs a value.`);
  }
  if (repo !== undefined) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) throw new CliError(`\`--repo ${repo}\` should look like owner/name.`);
    out.repo = repo;
  }
  if (org !== undefined) {
    if (!/^[^/\s]+$/.test(org)) throw new CliError(`\`--org ${org}\` should be an owner's login, like acme.`);
    if (repo !== undefined) throw new CliError("Choose one of --repo (one repository) and --org (every repository of an owner).");
    out.org = org;
  }
  if (since !== undefined) out.since = since;
  if (format !== undefined) {
    if (!FORMATS.includes(format as ReportFormat)) throw new CliError(`\`--format ${format}\` is not a report format: use text, json or markdown.`);
    out.format = format as ReportFormat;
  }
  return out;
}

export async function runReport(parsed: ParsedCommandLine, io: CliIo): Promise<number> {
  const options = reportArgs(parsed);
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
    if (options.org) {
      const report = await organizationReport(store, options.org, window);
      if (report.repositories.length === 0) {
        const owners = [...new Set(repos.map((name) => name.split("/")[0]!))];
        throw new CliError(`Nothing is recorded for ${options.org}. Recorded owners: ${owners.join(", ")}.`);
      }
      io.stdout(renderOrganizationReport(report, options.format));
      return 0;
    }
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
