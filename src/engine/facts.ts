/**
 * The plain description of a pull request that the engine judges. The GitHub adapter and the
 * CLI both build this object; the engine never reaches outside it.
 */

/** GitHub's file statuses; `git diff --name-status` letters map onto the same words. */
export type FileStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface ChangedFile {
  path: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  /** The path before a rename or copy. */
  previousPath?: string;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface Review {
  reviewer: string;
  state: ReviewState;
  /** ISO time; reviews are ordered by it when present, else kept in the given order. */
  submittedAt?: string;
  /** The commit the review was given on, when known (for approvals that go stale on a push). */
  commitSha?: string;
}

export interface Waiver {
  agreementId: string;
  by: string;
  reason: string;
  at?: string;
}

export interface PullRequestFacts {
  title: string;
  body: string;
  author: string;
  labels: string[];
  draft: boolean;
  baseBranch: string;
  files: ChangedFile[];
  /** How many files the PR changes in all; above `files.length` the list is incomplete (GitHub lists 3,000 at most). */
  changedFileCount?: number;
  /**
   * Whether the PR changes the agreement file, when the adapter knows it without the file list
   * (e.g. by comparing the file's blob at the base and the head). Only needed when the list is
   * incomplete: without it, such a PR cannot be cleared of changing the agreements (SPEC §1.4).
   */
  agreementFileChanged?: boolean;
  /** Where the agreement file lives, when not at `.github/agreements.yml` (or `.yaml`). */
  agreementFilePaths?: string[];
  /** Sizes in bytes at the head commit, for files an agreement asks about; null when it could not be read. */
  fileSizes?: Record<string, number | null>;
  /** Notebook texts at the head commit, for notebooks an agreement asks about; null when unreadable. */
  notebooks?: Record<string, string | null>;
  reviews: Review[];
  /** The head commit judged, when known (approvals given on another commit may not count). */
  headSha?: string;
  /** Members per team key, already resolved (explicit `members` together with the GitHub team's). */
  teamMembers: Record<string, string[]>;
}

/** Whether the file still exists at the head with content that came from this PR. */
export function isPresentAtHead(file: ChangedFile): boolean {
  return file.status !== "removed" && file.status !== "unchanged";
}
