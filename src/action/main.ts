/**
 * Accord as a GitHub Action (SPEC §6): the same routing, pipeline, engine, renderer, check run
 * and comment as the app, run once per workflow event with the workflow's token and no server.
 * The event comes from GITHUB_EVENT_PATH; GitHub from GITHUB_API_URL / GITHUB_GRAPHQL_URL.
 *
 * Exit status: 1 exactly when the verdict is `failure`, so the job agrees with the check run; a
 * missing permission is named in plain words (which line to add to `permissions:`), and exits 1
 * only if the verdict it could not write was a failure.
 */
import { readFileSync } from "node:fs";
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { GitHubCaches } from "../github/gather.js";
import type { GitHub } from "../github/client.js";
import { routeWebhook, type Job } from "../github/events.js";
import { fetchWithTimeout } from "../github/deadline.js";
import { Pipeline, type PipelineLog } from "../github/pipeline.js";
import { createReviewerSuggester } from "../github/suggest.js";
import { openStore, type FrictionStore } from "../store/index.js";
import { redact } from "../util/redact.js";

export interface ActionEnvironment {
  [name: string]: string | undefined;
}

export interface ActionOutcome {
  exitCode: number;
  verdict?: string;
}

/** Workflow events as the app's webhooks name them. */
const EVENT_NAMES: Record<string, string> = {
  pull_request_target: "pull_request",
  pull_request: "pull_request",
  pull_request_review: "pull_request_review",
  issue_comment: "issue_comment",
};

const input = (env: ActionEnvironment, name: string) => env[`INPUT_${name.toUpperCase()}`]?.trim() || undefined;

/** GitHub's answer to a token that may not do something, as the permission to add. */
export function missingPermission(error: unknown): string | undefined {
  const e = error as { status?: number; message?: string; request?: { method?: string; url?: string } } | null;
  if (!e || (e.status !== 403 && e.status !== 404) || !/not accessible by integration|resource not accessible|must have .* access/i.test(e.message ?? "")) return undefined;
  const url = e.request?.url ?? "";
  if (/\/check-runs/.test(url)) return "checks: write";
  if (/\/requested_reviewers/.test(url)) return "pull-requests: write";
  if (/\/issues\/(\d+\/comments|comments\/)|\/reactions|\/issues$|\/issues\/\d+$/.test(url)) return "issues: write (and pull-requests: write)";
  if (/\/pulls\/\d+\/files|\/graphql/.test(url)) return "contents: read and pull-requests: read";
  return undefined;
}

/** Workflow commands: warnings and errors show on the run's summary, the rest is the log. */
function actionLog(write: (line: string) => void): PipelineLog {
  const line = (kind: "notice" | "warning" | "error" | undefined, details: Record<string, unknown>, message: string) => {
    const err = details.err as { message?: string } | undefined;
    const text = redact(`${message}${err?.message ? `: ${err.message}` : ""}`);
    write(kind ? `::${kind}::${text}` : text);
  };
  return {
    info: (details, message) => line(undefined, details, message),
    warn: (details, message) => line("warning", details, message),
    error: (details, message) => line("error", details, message),
  };
}

export async function runAction(env: ActionEnvironment, write: (line: string) => void = (text) => process.stdout.write(`${text}\n`)): Promise<ActionOutcome> {
  const log = actionLog(write);
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  const eventPath = env.GITHUB_EVENT_PATH;
  if (!eventPath) {
    write("::error::GITHUB_EVENT_PATH is not set: Accord runs as a step of a GitHub Actions workflow.");
    return { exitCode: 1 };
  }
  const payload = JSON.parse(readFileSync(eventPath, "utf8")) as Record<string, unknown>;
  const token = input(env, "token") ?? env.GITHUB_TOKEN;
  if (!token) {
    write("::error::No token: give the step `token: ${{ github.token }}` (the default) or an app token.");
    return { exitCode: 1 };
  }

  let job: Job | undefined;
  if (eventName === "workflow_run") {
    // A review on a fork's pull request, relayed (its own workflow had a read-only token): found from the head commit.
    const run = payload.workflow_run as { head_sha?: string } | undefined;
    const repository = payload.repository as { id?: number; name?: string; owner?: { login?: string } } | undefined;
    if (run?.head_sha && repository?.name && repository.owner?.login) {
      job = { kind: "rerun", repository: { installationId: 0, owner: repository.owner.login, repo: repository.name, ...(repository.id ? { repoId: repository.id } : {}) }, headSha: run.head_sha };
    }
  } else {
    const name = EVENT_NAMES[eventName];
    if (!name) {
      write(`Accord acts on pull_request_target, pull_request_review, issue_comment and workflow_run; this workflow ran on ${eventName || "an unknown event"}, so there is nothing to do.`);
      return { exitCode: 0 };
    }
    // The workflow's token has no installation; the pipeline needs only a key for it.
    const routed = routeWebhook(name, { ...payload, installation: { id: 1 } });
    if ("malformed" in routed) {
      write(`::error::The ${eventName} event lacks what Accord needs: ${routed.malformed}.`);
      return { exitCode: 1 };
    }
    if ("ignored" in routed) {
      write(`Nothing to do: ${routed.ignored}.`);
      return { exitCode: 0 };
    }
    job = routed.job;
  }
  if (!job) {
    write("Nothing to do: the event names no pull request.");
    return { exitCode: 0 };
  }

  const apiUrl = env.GITHUB_API_URL ?? "https://api.github.com";
  const Client = Octokit.plugin(retry);
  const github = new Client({ auth: token, baseUrl: apiUrl, userAgent: "accord-action", request: { fetch: fetchWithTimeout }, log: { debug: () => undefined, info: () => undefined, warn: (m: string) => log.warn({}, m), error: (m: string) => log.error({}, m) } });
  // GitHub Enterprise Server serves GraphQL beside the REST API, not under it.
  const graphqlUrl = env.GITHUB_GRAPHQL_URL;
  if (graphqlUrl) github.graphql = github.graphql.defaults({ url: graphqlUrl, baseUrl: "" } as never) as typeof github.graphql;

  const databaseUrl = input(env, "database-url");
  let store: FrictionStore | undefined;
  if (databaseUrl) {
    try {
      store = await openStore(databaseUrl);
    } catch (error) {
      log.warn({ err: error }, "Accord could not open the friction record (database-url), so this run records nothing");
    }
  }
  let verdict: string | undefined;
  const config = input(env, "config");
  const pipeline = new Pipeline({
    ...(config && config !== ".github/agreements.yml" ? { agreementPaths: [config.replace(/^\.?\//, "")] } : {}),
    appId: Number(input(env, "app-id") ?? 0),
    caches: new GitHubCaches(),
    clientFor: async () => github as unknown as GitHub,
    log,
    suggest: createReviewerSuggester(),
    ...(store ? { store } : {}),
    onVerdict: (_ref, decided) => (verdict = decided),
  });
  const deliveryId = `action-${env.GITHUB_RUN_ID ?? Date.now()}-${env.GITHUB_RUN_ATTEMPT ?? 1}-${eventName}`;
  try {
    await pipeline.run(job, deliveryId);
    write(`Accord's verdict: ${verdict ?? "nothing to check (no agreement file, or the pull request is closed)"}.`);
  } catch (error) {
    const permission = missingPermission(error);
    if (permission) write(`::error::The workflow's token may not do what Accord needs: add \`${permission}\` under \`permissions:\` in the workflow (GitHub answered: ${redact((error as Error).message)}).`);
    else log.error({ err: error }, "Accord could not finish");
    if (!verdict) return { exitCode: permission ? 0 : 1 };
  } finally {
    await store?.close();
  }
  return { exitCode: verdict === "failure" ? 1 : 0, ...(verdict ? { verdict } : {}) };
}

const entry = process.argv[1] ?? "";
if (entry.endsWith("action/index.mjs") || entry.endsWith("action/main.js")) {
  const outcome = await runAction(process.env);
  process.exitCode = outcome.exitCode;
}
