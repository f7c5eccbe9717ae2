/** How roll-up rows and pull request rows travel to and from the tables (shared by the live store and the bulk loader). */
import { insertRows, sqlMax, sqlMin, type Param, type Sql } from "./db.js";
import { joinList, splitList, type ModeCode, type SeverityCode } from "./codec.js";
import { AGREEMENT_DAY_COUNTERS, PATH_DAY_COUNTERS, mergeStat, type AgreementStatRow, type DaySink, type Changes, type PrAgreementRow, type PrLifecycle, type PrPathRow, type PrState, type PrTeamRow } from "./rollup.js";

const replaceAll = (columns: readonly string[], keys: readonly string[]) =>
  Object.fromEntries(columns.filter((c) => !keys.includes(c)).map((c) => [c, `excluded.${c}`]));

const PR_AGREEMENT_COLUMNS = [
  "pr_id",
  "agreement_id",
  "repo_id",
  "severity",
  "mode",
  "first_at",
  "last_at",
  "evaluations",
  "unmet_evaluations",
  "first_unmet_at",
  "last_unmet_at",
  "met_at",
  "failed",
  "held",
  "waived",
  "last_outcome",
] as const;
const PR_TEAM_COLUMNS = ["pr_id", "team", "repo_id", "needed_at", "requested_at", "first_review_at", "start_at", "cross_team", "agreements"] as const;
const PR_PATH_COLUMNS = ["pr_id", "dir", "repo_id", "first_at", "unmet"] as const;
const STAT_COLUMNS = ["repo_id", "agreement_id", "title", "severity", "mode", "first_seen_at", "last_seen_at", "last_applied_at", "last_unmet_at"] as const;

const agreementParams = (repoId: number, prId: number, r: PrAgreementRow): Param[] => [
  prId,
  r.agreementId,
  repoId,
  r.severity,
  r.mode,
  r.firstAt,
  r.lastAt,
  r.evaluations,
  r.unmetEvaluations,
  r.firstUnmetAt,
  r.lastUnmetAt,
  r.metAt,
  r.failed,
  r.held,
  r.waived,
  r.lastOutcome,
];
const teamParams = (repoId: number, prId: number, r: PrTeamRow): Param[] => [
  prId,
  r.team,
  repoId,
  r.neededAt,
  r.requestedAt,
  r.firstReviewAt,
  r.startAt,
  r.crossTeam,
  r.agreements,
];
const pathParams = (repoId: number, prId: number, r: PrPathRow): Param[] => [prId, r.dir, repoId, r.firstAt, r.unmet];
const statParams = (repoId: number, r: AgreementStatRow): Param[] => [
  repoId,
  r.agreementId,
  r.title,
  r.severity,
  r.mode,
  r.firstSeenAt,
  r.lastSeenAt,
  r.lastAppliedAt,
  r.lastUnmetAt,
];

export interface RowSink {
  agreements: Param[][];
  teams: Param[][];
  paths: Param[][];
}

export function collectRows(sink: RowSink, repoId: number, prId: number, changes: Pick<Changes, "agreements" | "teams" | "paths">): void {
  const seenAgreements = new Set<string>();
  for (const row of changes.agreements) if (!seenAgreements.has(row.agreementId) && seenAgreements.add(row.agreementId)) sink.agreements.push(agreementParams(repoId, prId, row));
  const seenTeams = new Set<string>();
  for (const row of changes.teams) if (!seenTeams.has(row.team) && seenTeams.add(row.team)) sink.teams.push(teamParams(repoId, prId, row));
  const seenPaths = new Set<string>();
  for (const row of changes.paths) if (!seenPaths.has(row.dir) && seenPaths.add(row.dir)) sink.paths.push(pathParams(repoId, prId, row));
}

export async function writeRollups(sql: Sql, maxParams: number, sink: RowSink): Promise<void> {
  await insertRows(sql, maxParams, "pr_agreements", PR_AGREEMENT_COLUMNS, sink.agreements, {
    keys: ["pr_id", "agreement_id"],
    update: replaceAll(PR_AGREEMENT_COLUMNS, ["pr_id", "agreement_id", "repo_id"]),
  });
  await insertRows(sql, maxParams, "pr_teams", PR_TEAM_COLUMNS, sink.teams, { keys: ["pr_id", "team"], update: replaceAll(PR_TEAM_COLUMNS, ["pr_id", "team", "repo_id"]) });
  await insertRows(sql, maxParams, "pr_paths", PR_PATH_COLUMNS, sink.paths, { keys: ["pr_id", "dir"], update: replaceAll(PR_PATH_COLUMNS, ["pr_id", "dir", "repo_id"]) });
}

/** Agreement stats merge commutatively at the database too, so instances writing at once agree. */
export async function writeStats(sql: Sql, maxParams: number, repoId: number, stats: readonly AgreementStatRow[]): Promise<void> {
  const merged = new Map<string, AgreementStatRow>();
  for (const stat of stats) merged.set(stat.agreementId, mergeStat(merged.get(stat.agreementId), stat));
  const newer = "excluded.last_seen_at >= agreement_stats.last_seen_at";
  await insertRows(
    sql,
    maxParams,
    "agreement_stats",
    STAT_COLUMNS,
    // Rows shared by every PR are always locked in the same order, so concurrent transactions never deadlock.
    [...merged.values()].sort((a, b) => (a.agreementId < b.agreementId ? -1 : a.agreementId > b.agreementId ? 1 : 0)).map((row) => statParams(repoId, row)),
    {
      keys: ["repo_id", "agreement_id"],
      update: {
        title: `CASE WHEN ${newer} THEN excluded.title ELSE agreement_stats.title END`,
        severity: `CASE WHEN ${newer} THEN excluded.severity ELSE agreement_stats.severity END`,
        mode: `CASE WHEN ${newer} THEN excluded.mode ELSE agreement_stats.mode END`,
        first_seen_at: sqlMin("agreement_stats.first_seen_at", "excluded.first_seen_at"),
        last_seen_at: sqlMax("agreement_stats.last_seen_at", "excluded.last_seen_at"),
        last_applied_at: sqlMax("agreement_stats.last_applied_at", "excluded.last_applied_at"),
        last_unmet_at: sqlMax("agreement_stats.last_unmet_at", "excluded.last_unmet_at"),
      },
    },
  );
}

const sortedDays = <T extends { day: number; key: string }>(rows: T[]) => rows.sort((a, b) => a.day - b.day || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** Adds to the daily sums (additive upserts: any order, any instance; rows in key order so transactions never deadlock). */
export async function writeDays(
  sql: Sql,
  maxParams: number,
  repoId: number,
  days: DaySink,
): Promise<void> {
  const add = (table: string, counters: readonly string[]) => Object.fromEntries(counters.map((c) => [c, `${table}.${c} + excluded.${c}`]));
  await insertRows(
    sql,
    maxParams,
    "agreement_days",
    ["repo_id", "day", "agreement_id", ...AGREEMENT_DAY_COUNTERS],
    sortedDays(days.agreements.list()).map((d) => [repoId, d.day, d.key, ...d.counts]),
    { keys: ["repo_id", "day", "agreement_id"], update: add("agreement_days", AGREEMENT_DAY_COUNTERS) },
  );
  await insertRows(
    sql,
    maxParams,
    "path_days",
    ["repo_id", "day", "dir", ...PATH_DAY_COUNTERS],
    sortedDays(days.paths.list()).map((d) => [repoId, d.day, d.key, ...d.counts]),
    { keys: ["repo_id", "day", "dir"], update: add("path_days", PATH_DAY_COUNTERS) },
  );
  await insertRows(
    sql,
    maxParams,
    "repo_days",
    ["repo_id", "day", "evaluations"],
    [...days.evaluations].filter(([, n]) => n !== 0).sort(([a], [b]) => a - b).map(([day, n]) => [repoId, day, n]),
    { keys: ["repo_id", "day"], update: add("repo_days", ["evaluations"]) },
  );
}

export async function writeTeamNames(sql: Sql, maxParams: number, repoId: number, names: readonly { team: string; name: string }[]): Promise<void> {
  const unique = new Map([...names].sort((a, b) => (a.team < b.team ? -1 : a.team > b.team ? 1 : 0)).map((n) => [n.team, n.name]));
  await insertRows(
    sql,
    maxParams,
    "repo_teams",
    ["repo_id", "team", "name"],
    [...unique].map(([team, name]) => [repoId, team, name]),
    { keys: ["repo_id", "team"], update: { name: "excluded.name" } },
  );
}

// ---------------------------------------------------------------------------------------------
// Reading a PR's roll-ups back.

interface AgreementDbRow {
  agreementId: string;
  severity: string;
  mode: string;
  firstAt: number;
  lastAt: number;
  evaluations: number;
  unmetEvaluations: number;
  firstUnmetAt: number | null;
  lastUnmetAt: number | null;
  metAt: number | null;
  failed: number;
  held: number;
  waived: number;
  lastOutcome: string;
}

export async function loadRollups(sql: Sql, prId: number, state: PrState, parts: { agreements: boolean; paths: boolean }): Promise<void> {
  if (parts.agreements) {
    const rows = await sql.all<AgreementDbRow>(
      `SELECT agreement_id AS "agreementId", severity, mode, first_at AS "firstAt", last_at AS "lastAt", evaluations,
              unmet_evaluations AS "unmetEvaluations", first_unmet_at AS "firstUnmetAt", last_unmet_at AS "lastUnmetAt",
              met_at AS "metAt", failed, held, waived, last_outcome AS "lastOutcome"
         FROM pr_agreements WHERE pr_id = ?`,
      [prId],
    );
    for (const row of rows) {
      state.agreements.set(row.agreementId, {
        ...row,
        severity: row.severity as SeverityCode,
        mode: row.mode as ModeCode,
        failed: Number(row.failed),
        held: Number(row.held),
        waived: Number(row.waived),
      });
    }
  }
  const teams = await sql.all<PrTeamRow>(
    `SELECT team, needed_at AS "neededAt", requested_at AS "requestedAt", first_review_at AS "firstReviewAt", start_at AS "startAt",
            cross_team AS "crossTeam", agreements
       FROM pr_teams WHERE pr_id = ?`,
    [prId],
  );
  for (const row of teams) state.teams.set(row.team, { ...row, crossTeam: Number(row.crossTeam) });
  if (parts.paths) {
    const paths = await sql.all<PrPathRow>(`SELECT dir, first_at AS "firstAt", unmet FROM pr_paths WHERE pr_id = ?`, [prId]);
    for (const row of paths) state.paths.set(row.dir, { ...row, unmet: Number(row.unmet) });
  }
}

// ---------------------------------------------------------------------------------------------
// The pull request row.

export interface PrRecord extends PrLifecycle {
  id: number;
  authorTeams: string[] | null;
  firstEvalAt: number | null;
  lastEvalAt: number | null;
  evaluations: number;
  factsAt: number | null;
}

export const PR_RECORD_COLUMNS = `id, title, author, author_teams AS "authorTeams", base_branch AS "baseBranch", opened_at AS "openedAt",
  ready_at AS "readyAt", closed_at AS "closedAt", merged_at AS "mergedAt", first_eval_at AS "firstEvalAt",
  last_eval_at AS "lastEvalAt", evaluations, facts_at AS "factsAt"`;

export function prRecordFrom(row: Omit<PrRecord, "authorTeams"> & { authorTeams: string | null }): PrRecord {
  return { ...row, evaluations: Number(row.evaluations), authorTeams: row.authorTeams === null ? null : splitList(row.authorTeams) };
}

export const PR_COLUMNS = [
  "id",
  "repo_id",
  "number",
  "title",
  "author",
  "author_teams",
  "base_branch",
  "opened_at",
  "ready_at",
  "closed_at",
  "merged_at",
  "first_eval_at",
  "last_eval_at",
  "evaluations",
  "facts",
  "facts_at",
] as const;

export function prParams(repoId: number, number: number, pr: PrRecord, facts: Buffer | null): Param[] {
  return [
    pr.id,
    repoId,
    number,
    pr.title,
    pr.author,
    pr.authorTeams === null ? null : joinList(pr.authorTeams),
    pr.baseBranch,
    pr.openedAt,
    pr.readyAt,
    pr.closedAt,
    pr.mergedAt,
    pr.firstEvalAt,
    pr.lastEvalAt,
    pr.evaluations,
    facts,
    pr.factsAt,
  ];
}

/** Writes back what the folds change on the PR row (the facts blob is written separately, only when newer). */
export async function updatePr(sql: Sql, pr: PrRecord): Promise<void> {
  await sql.run(
    `UPDATE pull_requests SET title = ?, author = ?, author_teams = ?, base_branch = ?, opened_at = ?, ready_at = ?, closed_at = ?,
       merged_at = ?, first_eval_at = ?, last_eval_at = ?, evaluations = ? WHERE id = ?`,
    [
      pr.title,
      pr.author,
      pr.authorTeams === null ? null : joinList(pr.authorTeams),
      pr.baseBranch,
      pr.openedAt,
      pr.readyAt,
      pr.closedAt,
      pr.mergedAt,
      pr.firstEvalAt,
      pr.lastEvalAt,
      pr.evaluations,
      pr.id,
    ],
  );
}
