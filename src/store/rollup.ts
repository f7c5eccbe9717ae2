/**
 * The per-PR roll-ups the report reads instead of every evaluation: one definition, used both
 * by the live store (read the PR's rows, fold the event, write them back, inside one
 * transaction that holds the PR's row) and by the bulk loader (folded in memory).
 *
 * - per PR and agreement: when it first/last applied, how often, first unmet, met again, and
 *   whether it ever failed, waited, or was waived;
 * - per PR and team: when the PR first needed the team, when it was first requested, and the
 *   team's first review;
 * - per PR and top directory: when it was first involved, and whether an unmet agreement looked at it;
 * - per repository and agreement: latest title/severity/mode, first/last seen, last applied, last unmet
 *   (merged commutatively, so instances never need to agree on an order).
 */
import { isUnmetOutcome, joinList, splitList, type CompactResult, type ModeCode, type SeverityCode } from "./codec.js";

export interface PrAgreementRow {
  agreementId: string;
  severity: SeverityCode;
  mode: ModeCode;
  firstAt: number;
  lastAt: number;
  evaluations: number;
  unmetEvaluations: number;
  firstUnmetAt: number | null;
  lastUnmetAt: number | null;
  /** First time it passed after it was first unmet. */
  metAt: number | null;
  /** Ever fail or error before waivers (0/1). */
  failed: number;
  /** Ever waiting before waivers (0/1). */
  held: number;
  /** Ever covered by a waiver (0/1). */
  waived: number;
  lastOutcome: string;
}

export interface PrTeamRow {
  team: string;
  neededAt: number | null;
  requestedAt: number | null;
  firstReviewAt: number | null;
  /** When the wait started: the review request, else the first need. */
  startAt: number | null;
  /** 1 when the PR's author is not in the team. */
  crossTeam: number;
  /** Agreements that needed the team, comma-joined. */
  agreements: string;
}

export interface PrPathRow {
  dir: string;
  firstAt: number;
  unmet: number;
}

export interface AgreementStatRow {
  agreementId: string;
  title: string;
  severity: SeverityCode;
  mode: ModeCode;
  firstSeenAt: number;
  lastSeenAt: number;
  lastAppliedAt: number | null;
  lastUnmetAt: number | null;
}

/** What is known about one PR's roll-ups. */
export interface PrState {
  authorTeams: string[] | null;
  firstEvalAt: number | null;
  lastEvalAt: number | null;
  evaluations: number;
  agreements: Map<string, PrAgreementRow>;
  teams: Map<string, PrTeamRow>;
  paths: Map<string, PrPathRow>;
}

export function emptyPrState(): PrState {
  return { authorTeams: null, firstEvalAt: null, lastEvalAt: null, evaluations: 0, agreements: new Map(), teams: new Map(), paths: new Map() };
}

/** The rows an event changed, to be written back. */
export interface Changes {
  agreements: PrAgreementRow[];
  teams: PrTeamRow[];
  paths: PrPathRow[];
  stats: AgreementStatRow[];
  /** Team display names first seen. */
  teamNames: { team: string; name: string }[];
  pullRequest: boolean;
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function teamRow(state: PrState, team: string): PrTeamRow {
  let row = state.teams.get(team);
  if (!row) {
    row = { team, neededAt: null, requestedAt: null, firstReviewAt: null, startAt: null, crossTeam: crossTeam(state, team), agreements: "" };
    state.teams.set(team, row);
  }
  return row;
}

const crossTeam = (state: PrState, team: string) => (state.authorTeams?.includes(team) ? 0 : 1);

function sameTeamRow(a: PrTeamRow, b: PrTeamRow): boolean {
  return (
    a.neededAt === b.neededAt &&
    a.requestedAt === b.requestedAt &&
    a.firstReviewAt === b.firstReviewAt &&
    a.startAt === b.startAt &&
    a.crossTeam === b.crossTeam &&
    a.agreements === b.agreements
  );
}

function settleStart(row: PrTeamRow): void {
  row.startAt = row.requestedAt ?? row.neededAt;
}

export interface EvaluationFold {
  at: number;
  results: readonly CompactResult[];
  /** The author's teams, when the evaluation came with facts. */
  authorTeams?: string[];
  /** A draft PR needs nobody yet: its pending teams do not start a wait. */
  draft?: boolean;
}

export function foldEvaluation(state: PrState, event: EvaluationFold): Changes {
  const { at } = event;
  const changes: Changes = { agreements: [], teams: [], paths: [], stats: [], teamNames: [], pullRequest: true };
  const teamsBefore = new Map([...state.teams].map(([team, row]) => [team, { ...row }]));

  state.firstEvalAt = minOf(state.firstEvalAt, at);
  state.lastEvalAt = maxOf(state.lastEvalAt, at);
  state.evaluations += 1;
  if (event.authorTeams !== undefined) {
    state.authorTeams = [...event.authorTeams].sort();
    for (const row of state.teams.values()) row.crossTeam = crossTeam(state, row.team);
  }

  const dirtyPaths = new Set<string>();
  for (const result of event.results) {
    const applied = result.unwaived !== "skipped";
    const unmet = isUnmetOutcome(result.unwaived);
    changes.stats.push({
      agreementId: result.id,
      title: result.title,
      severity: result.severity,
      mode: result.mode,
      firstSeenAt: at,
      lastSeenAt: at,
      lastAppliedAt: applied ? at : null,
      lastUnmetAt: unmet ? at : null,
    });
    if (!applied) continue;

    let row = state.agreements.get(result.id);
    if (!row) {
      row = {
        agreementId: result.id,
        severity: result.severity,
        mode: result.mode,
        firstAt: at,
        lastAt: at,
        evaluations: 0,
        unmetEvaluations: 0,
        firstUnmetAt: null,
        lastUnmetAt: null,
        metAt: null,
        failed: 0,
        held: 0,
        waived: 0,
        lastOutcome: result.outcome,
      };
      state.agreements.set(result.id, row);
    }
    row.firstAt = Math.min(row.firstAt, at);
    if (at >= row.lastAt) {
      row.lastAt = at;
      row.severity = result.severity;
      row.mode = result.mode;
      row.lastOutcome = result.outcome;
    }
    row.evaluations += 1;
    if (unmet) {
      row.unmetEvaluations += 1;
      row.firstUnmetAt = minOf(row.firstUnmetAt, at);
      row.lastUnmetAt = maxOf(row.lastUnmetAt, at);
      if (result.unwaived === "waiting") row.held = 1;
      else row.failed = 1;
    }
    if (result.outcome === "waived") row.waived = 1;
    if (result.outcome === "pass" && row.firstUnmetAt !== null && at > row.firstUnmetAt && (row.metAt === null || at < row.metAt)) row.metAt = at;
    changes.agreements.push(row);

    for (const dir of result.dirs) {
      let path = state.paths.get(dir);
      if (!path) {
        path = { dir, firstAt: at, unmet: 0 };
        state.paths.set(dir, path);
        dirtyPaths.add(dir);
      }
      if (at < path.firstAt) {
        path.firstAt = at;
        dirtyPaths.add(dir);
      }
      if (unmet && path.unmet === 0) {
        path.unmet = 1;
        dirtyPaths.add(dir);
      }
    }

    // A team is needed while an enforced agreement that is not waived still waits for its approvals.
    if (!event.draft && result.mode === "e" && isUnmetOutcome(result.outcome)) {
      for (const pending of result.pending) {
        const isNew = !state.teams.has(pending.team);
        const team = teamRow(state, pending.team);
        team.neededAt = minOf(team.neededAt, at);
        team.agreements = joinList([...splitList(team.agreements), result.id]);
        settleStart(team);
        if (isNew) changes.teamNames.push({ team: pending.team, name: pending.name });
      }
    }
  }
  changes.paths = [...dirtyPaths].map((dir) => state.paths.get(dir)!);
  changes.teams = [...state.teams.values()].filter((row) => {
    const before = teamsBefore.get(row.team);
    return !before || !sameTeamRow(before, row);
  });
  return changes;
}

export function foldReviewRequest(state: PrState, at: number, teams: readonly string[]): Changes {
  const rows = teams.map((name) => {
    const row = teamRow(state, name);
    row.requestedAt = minOf(row.requestedAt, at);
    settleStart(row);
    return row;
  });
  return { agreements: [], teams: rows, paths: [], stats: [], teamNames: [], pullRequest: false };
}

/** A submitted review (approval, change request or comment) answers its reviewer's teams. */
export function foldReview(state: PrState, at: number, teams: readonly string[]): Changes {
  const rows = teams.map((name) => {
    const row = teamRow(state, name);
    row.firstReviewAt = minOf(row.firstReviewAt, at);
    return row;
  });
  return { agreements: [], teams: rows, paths: [], stats: [], teamNames: [], pullRequest: false };
}

/** Merges agreement stats the way the database does (commutative: any order gives the same row). */
export function mergeStat(into: AgreementStatRow | undefined, next: AgreementStatRow): AgreementStatRow {
  if (!into) return { ...next };
  const newer = next.lastSeenAt >= into.lastSeenAt;
  return {
    agreementId: into.agreementId,
    title: newer ? next.title : into.title,
    severity: newer ? next.severity : into.severity,
    mode: newer ? next.mode : into.mode,
    firstSeenAt: Math.min(into.firstSeenAt, next.firstSeenAt),
    lastSeenAt: Math.max(into.lastSeenAt, next.lastSeenAt),
    lastAppliedAt: maxOf(into.lastAppliedAt, next.lastAppliedAt),
    lastUnmetAt: maxOf(into.lastUnmetAt, next.lastUnmetAt),
  };
}

/** A pull request's own row: its lifecycle and what the roll-ups summarise about it. */
export interface PrLifecycle {
  title: string | null;
  author: string | null;
  baseBranch: string | null;
  openedAt: number | null;
  readyAt: number | null;
  closedAt: number | null;
  mergedAt: number | null;
}

export function foldPullRequestEvent(
  pr: PrLifecycle,
  event: { kind: "opened" | "reopened" | "ready_for_review" | "converted_to_draft" | "closed" | "merged"; at: number; title?: string; author?: string; baseBranch?: string },
): void {
  const { at } = event;
  if (event.title !== undefined) pr.title = event.title;
  if (event.author !== undefined) pr.author = event.author;
  if (event.baseBranch !== undefined) pr.baseBranch = event.baseBranch;
  switch (event.kind) {
    case "opened":
      pr.openedAt = minOf(pr.openedAt, at);
      break;
    case "ready_for_review":
      pr.readyAt = minOf(pr.readyAt, at);
      break;
    case "reopened":
      if (pr.closedAt !== null && pr.closedAt <= at && pr.mergedAt === null) pr.closedAt = null;
      break;
    case "closed":
      pr.closedAt = maxOf(pr.closedAt, at);
      break;
    case "merged":
      pr.mergedAt = minOf(pr.mergedAt, at);
      pr.closedAt = maxOf(pr.closedAt, at);
      break;
    case "converted_to_draft":
      break;
  }
}
