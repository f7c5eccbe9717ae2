/** Writes the check run and the summary comment — and nothing when what GitHub shows is already right. */
import type { ConfigProblem } from "../agreement/parse.js";
import type { Evaluation } from "../engine/result.js";
import type { GitHub, PullRequestRef } from "./client.js";
import type { ExistingCheckRun, ExistingComment } from "./gather.js";

/** GitHub accepts at most 50 annotations per request. */
export const ANNOTATIONS_PER_REQUEST = 50;

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

export interface CheckRunOutput {
  status: "in_progress" | "completed";
  conclusion?: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  annotations: Annotation[];
}

export function annotationsFor(evaluation: Evaluation): Annotation[] {
  const annotations: Annotation[] = [];
  for (const agreement of evaluation.agreements) {
    if (agreement.outcome !== "fail" && agreement.outcome !== "error") continue;
    const blocking = agreement.mode === "enforce" && agreement.severity === "required";
    for (const requirement of agreement.requirements) {
      for (const annotation of requirement.annotations) {
        annotations.push({
          path: annotation.path,
          start_line: 1,
          end_line: 1,
          annotation_level: blocking ? "failure" : "warning",
          title: `${annotation.title} (${agreement.id})`.slice(0, 255),
          message: annotation.message.slice(0, 60_000),
        });
      }
    }
  }
  return annotations;
}

export function problemAnnotations(problems: readonly ConfigProblem[], path: string, level: Annotation["annotation_level"] = "failure"): Annotation[] {
  return problems.map((problem) => ({
    path,
    start_line: problem.line,
    end_line: Math.max(problem.line, problem.endLine),
    ...(problem.endLine === problem.line ? { start_column: problem.column, end_column: Math.max(problem.column, problem.endColumn) } : {}),
    annotation_level: level,
    title: "Agreement file problem",
    message: problem.message,
  }));
}

export function isSameCheckRun(existing: ExistingCheckRun | undefined, desired: CheckRunOutput): boolean {
  return (
    existing !== undefined &&
    existing.status === desired.status &&
    (existing.conclusion ?? undefined) === desired.conclusion &&
    existing.title === desired.title &&
    existing.summary === desired.summary &&
    existing.annotationCount === desired.annotations.length
  );
}

/** Creates or updates the check run; returns the number of requests made. */
export async function writeCheckRun(
  github: GitHub,
  ref: PullRequestRef,
  headSha: string,
  name: string,
  desired: CheckRunOutput,
  existing: ExistingCheckRun | undefined,
): Promise<number> {
  if (isSameCheckRun(existing, desired)) return 0;
  const batches: Annotation[][] = [];
  for (let i = 0; i < desired.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(desired.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const output = (batch: Annotation[] | undefined) => ({ title: desired.title, summary: desired.summary, ...(batch ? { annotations: batch } : {}) });
  const state = desired.status === "completed" ? { status: "completed" as const, conclusion: desired.conclusion! } : { status: "in_progress" as const };
  let requests = 1;
  // Annotations only ever append on update, so a run whose annotations change is replaced by a new one.
  const canUpdate = existing !== undefined && existing.annotationCount === 0 && desired.annotations.length === 0;
  if (canUpdate) {
    await github.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { owner: ref.owner, repo: ref.repo, check_run_id: existing.id, ...state, output: output(undefined) });
    return requests;
  }
  const created = await github.request("POST /repos/{owner}/{repo}/check-runs", { owner: ref.owner, repo: ref.repo, name, head_sha: headSha, ...state, output: output(batches[0]) });
  const id = Number(created.data.id);
  for (const batch of batches.slice(1)) {
    await github.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { owner: ref.owner, repo: ref.repo, check_run_id: id, output: output(batch) });
    requests += 1;
  }
  return requests;
}

export type CommentWrite = "created" | "updated" | "unchanged" | "skipped";

export async function writeComment(github: GitHub, ref: PullRequestRef, body: string, existing: ExistingComment | undefined, mayCreate: boolean): Promise<CommentWrite> {
  if (existing) {
    if (existing.body === body) return "unchanged";
    await github.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner: ref.owner, repo: ref.repo, comment_id: existing.id, body });
    return "updated";
  }
  if (!mayCreate) return "skipped";
  await github.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner: ref.owner, repo: ref.repo, issue_number: ref.number, body });
  return "created";
}
