/** The GitHub client the adapter uses, and the coordinates of one pull request. */
import type { ProbotOctokit } from "probot";

export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface PullRequestRef {
  installationId: number;
  owner: string;
  repo: string;
  /** GitHub's id for the repository, when the webhook carried it: stays the same across renames. */
  repoId?: number;
  number: number;
  /** From the webhook when it carries them; the gathered state has the current ones. */
  baseSha?: string;
  headSha?: string;
}

export const prKey = (ref: PullRequestRef) => `${ref.owner}/${ref.repo}#${ref.number}`.toLowerCase();

/** A GitHub error's HTTP status, when it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** Plain words for a GitHub failure, for check runs and replies. */
export function describeGitHubError(error: unknown): string {
  const status = statusOf(error);
  if (status === 403 || status === 429) return `GitHub is rate-limiting this installation (HTTP ${status})`;
  if (status !== undefined && status >= 500) return `GitHub answered HTTP ${status}, a problem on GitHub's side`;
  if (status !== undefined) return `GitHub answered HTTP ${status}`;
  return error instanceof Error ? error.message : String(error);
}
