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
 *   (merged commutatively, so instances never need to agree on an order);
 * - per repository and UTC day: the per-PR rows above summed by the day they started (an agreement
 *   first applying, a directory first involved) and evaluations per day. A change to a per-PR row
 *   moves its old contribution out of its day and its new one in, so these sums stay exact and are
 *   additive (instances can add to them in any order). Reports read whole days from here.
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

export const DAY_MS = 86_400_000;
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

/** Columns of the daily agreement sums, in the order of `agreementContribution`. */
export const AGREEMENT_DAY_COUNTERS = [
  "pull_requests",
  "evaluations",
  "unmet_evaluations",
  "unmet_prs",
  "waived",
  "failed",
  "held",
  "trial_blocked",
  "trial_held",
  "met_after_unmet",
] as const;

/** What one PR's row adds to its day's sums. */
export function agreementContribution(row: PrAgreementRow): number[] {
  const trial = row.mode === "t" && row.severity === "r";
  return [
    1,
    row.evaluations,
    row.unmetEvaluations,
    row.firstUnmetAt === null ? 0 : 1,
    row.waived,
    row.failed,
    row.held,
    trial ? row.failed : 0,
    trial && row.failed === 0 ? row.held : 0,
    row.metAt === null ? 0 : 1,
  ];
}

export const PATH_DAY_COUNTERS = ["pull_requests", "unmet_prs"] as const;
export const pathContribution = (row: PrPathRow): number[] => [1, row.unmet];

/** Additions to daily sums, keyed by what they count (an agreement id or a directory) and day. */
export class DayDeltas {
  private readonly days = new Map<number, Map<string, number[]>>();

  add(key: string, day: number, counts: readonly number[], sign: 1 | -1): void {
    let byKey = this.days.get(day);
    if (!byKey) this.days.set(day, (byKey = new Map()));
    const sum = byKey.get(key);
    if (!sum) {
      byKey.set(key, sign === 1 ? [...counts] : counts.map((n) => -n));
      return;
    }
    for (let i = 0; i < counts.length; i++) sum[i]! += sign * counts[i]!;
  }

  /** A row moved from (oldDay, old) to (newDay, next): one addition when it stayed on its day. */
  move(key: string, oldDay: number | null, old: readonly number[] | null, newDay: number, next: readonly number[]): void {
    if (oldDay === newDay && old) {
      const diff = next.map((n, i) => n - old[i]!);
      if (diff.some((n) => n !== 0)) this.add(key, newDay, diff, 1);
      return;
    }
    if (oldDay !== null && old) this.add(key, oldDay, old, -1);
    this.add(key, newDay, next, 1);
  }

  /** Entries that change anything. */
  list(): { key: string; day: number; counts: number[] }[] {
    const out: { key: string; day: number; counts: number[] }[] = [];
    for (const [day, byKey] of this.days) for (const [key, counts] of byKey) if (counts.some((n) => n !== 0)) out.push({ key, day, counts });
    return out;
  }
}

/** Where a fold adds its daily sums: fresh per event on the live path, one per repository in a bulk load. */
export interface DaySink {
  agreements: DayDeltas;
  paths: DayDeltas;
  evaluations: Map<number, number>;
}

export const newDaySink = (): DaySink => ({ agreements: new DayDeltas(), paths: new DayDeltas(), evaluations: new Map() });

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

const noChanges = (): Changes => ({
  agreements: [],
  teams: [],
  paths: [],
  stats: [],
  teamNames: [],
  pullRequest: false,
});

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

export function foldEvaluation(state: PrState, event: EvaluationFold, days: DaySink): Changes {
  const { at } = event;
  const changes = noChanges();
  changes.pullRequest = true;
  const evaluationDay = dayOf(at);
  days.evaluations.set(evaluationDay, (days.evaluations.get(evaluationDay) ?? 0) + 1);
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
    const oldDay = row ? dayOf(row.firstAt) : null;
    const old = row ? agreementContribution(row) : null;
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
    days.agreements.move(row.agreementId, oldDay, old, dayOf(row.firstAt), agreementContribution(row));

    for (const dir of result.dirs) {
      let path = state.paths.get(dir);
      const before = path ? { ...path } : undefined;
      if (!path) {
        path = { dir, firstAt: at, unmet: 0 };
        state.paths.set(dir, path);
      }
      if (at < path.firstAt) path.firstAt = at;
      if (unmet) path.unmet = 1;
      if (!before || before.firstAt !== path.firstAt || before.unmet !== path.unmet) {
        dirtyPaths.add(dir);
        days.paths.move(dir, before ? dayOf(before.firstAt) : null, before ? pathContribution(before) : null, dayOf(path.firstAt), pathContribution(path));
      }
    }

    // A team is needed while an enforced agreement that is not waived still waits for its approvals.
    if (!event.draft && result.mode === "e" && isUnmetOutcome(result.outcome)) {
      for (const pending of result.pending) {
        const team = teamRow(state, pending.team);
        // The display name comes with the first need (a review request may have created the row before).
        const firstNeed = team.neededAt === null;
        team.neededAt = minOf(team.neededAt, at);
        team.agreements = joinList([...splitList(team.agreements), result.id]);
        settleStart(team);
        if (firstNeed) changes.teamNames.push({ team: pending.team, name: pending.name });
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
  return { ...noChanges(), teams: rows };
}

/** A submitted review (approval, change request or comment) answers its reviewer's teams. */
export function foldReview(state: PrState, at: number, teams: readonly string[]): Changes {
  const rows = teams.map((name) => {
    const row = teamRow(state, name);
    row.firstReviewAt = minOf(row.firstReviewAt, at);
    return row;
  });
  return { ...noChanges(), teams: rows };
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
