/**
 * The one renderer of results as markdown: the check run's summary, the PR comment and
 * `accord check --format markdown` all come from here, so they never disagree.
 */
import type { ConfigProblem } from "../agreement/parse.js";
import type { AgreementResult, RequirementResult } from "../engine/result.js";
import { configHeadline, headline } from "./headline.js";
import { phraseHowTo } from "./how-to.js";
import {
  CONCLUSION_WORDS,
  OUTCOME_ICON,
  OUTCOME_WORDS,
  attentionOrder,
  type AmendmentPreview,
  type ReplayCounts,
  type RenderInput,
  type ReviewerSuggestion,
} from "./report-model.js";

export const COMMENT_MARKER = "<!-- accord:summary -->";
/** GitHub's limits: check-run summary 65,535 characters, comment body 65,536. */
export const GITHUB_TEXT_LIMIT = 65_535;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function outcomeCell(agreement: AgreementResult): string {
  const words = OUTCOME_WORDS[agreement.outcome];
  const tags = [agreement.severity === "advisory" ? "advisory" : "", agreement.mode === "trial" ? "on trial" : ""].filter(Boolean);
  return tags.length > 0 ? `${words} (${tags.join(", ")})` : words;
}

export function agreementTable(agreements: readonly AgreementResult[]): string {
  const shown = agreements.filter((a) => a.outcome !== "skipped");
  const skipped = agreements.filter((a) => a.outcome === "skipped");
  const lines: string[] = [];
  if (shown.length > 0) {
    lines.push("| | Agreement | Outcome |", "|:-:|---|---|");
    for (const agreement of shown) {
      lines.push(`| ${OUTCOME_ICON[agreement.outcome]} | ${cell(agreement.title)} \`${agreement.id}\` | ${cell(outcomeCell(agreement))} |`);
    }
  } else {
    lines.push("No agreement applies to this pull request.");
  }
  if (skipped.length > 0) lines.push("", `<sub>Not applicable here: ${skipped.map((a) => `\`${a.id}\``).join(", ")}</sub>`);
  return lines.join("\n");
}

function suggestionLine(teamName: string, suggestions: readonly ReviewerSuggestion[]): string {
  const people = suggestions.map((s) => (s.reason ? `@${s.login} (${s.reason})` : `@${s.login}`));
  return `Suggested from ${teamName}: ${people.join(", ")}`;
}

function requirementLines(requirement: RequirementResult, input: RenderInput): string[] {
  if (requirement.outcome === "pass") return [`- ✅ ${requirement.message}`];
  const lines = [`- ${OUTCOME_ICON[requirement.outcome]} ${requirement.message}`];
  if (requirement.howTo) lines.push(`  **How to get there:** ${phraseHowTo(requirement.howTo, input.door ?? "github")}`);
  for (const pending of requirement.pending ?? []) {
    const suggestions = input.suggestions?.[pending.team];
    if (suggestions && suggestions.length > 0) lines.push(`  ${suggestionLine(pending.teamName, suggestions)}`);
  }
  return lines;
}

function quote(text: string): string {
  return text
    .trim()
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}

export function agreementDetails(agreement: AgreementResult, input: RenderInput): string {
  const lines = [`#### ${OUTCOME_ICON[agreement.outcome]} ${agreement.title}`];
  if (agreement.context) lines.push(quote(agreement.context), "");
  if (agreement.mode === "trial") lines.push("_On trial: shown and recorded, but it does not block merging yet._", "");
  else if (agreement.severity === "advisory") lines.push("_Advisory: worth doing, but it does not block merging._", "");
  if (agreement.waiver) lines.push(`Waived${agreement.waiver.by ? ` by @${agreement.waiver.by}` : ""}: “${agreement.waiver.reason}”`);
  if (agreement.note) lines.push(agreement.note);
  if (agreement.howTo && agreement.outcome !== "waived") lines.push(`**How to get there:** ${phraseHowTo(agreement.howTo, input.door ?? "github")}`);
  for (const requirement of agreement.requirements) lines.push(...requirementLines(requirement, input));
  return lines.join("\n");
}

function amendmentSection(preview: AmendmentPreview): string {
  const lines = ["### The proposed agreement file"];
  if (preview.problems.length > 0) {
    lines.push(
      `The proposed version has ${preview.problems.length === 1 ? "a problem" : `${preview.problems.length} problems`} to fix before it can land:`,
      "",
      ...preview.problems.map((problem) => `- \`${problem.file}:${problem.line}:${problem.column}\` ${problem.message}`),
    );
  } else if (preview.evaluation) {
    lines.push(`If it were in force, this PR would stand at: **${CONCLUSION_WORDS[preview.evaluation.conclusion].toLowerCase()}** (${headline(preview.evaluation)}). The current version stays in force until the amendment lands.`);
  }
  if (preview.replay && preview.replay.length > 0) {
    const unknown = preview.replay.some((row) => row.base.unknown > 0 || row.proposed.unknown > 0);
    const figures = (counts: ReplayCounts) => `${counts.blocked} / ${counts.held}${unknown ? ` / ${counts.unknown}` : ""}`;
    const heading = unknown ? "blocked / held / could not tell" : "blocked / held";
    lines.push(
      "",
      `Replayed over the last ${preview.replayedPullRequests ?? 0} recorded pull requests (blocked = failed, held = waited for review${unknown ? "; could not tell = the record lacks a fact it needs, such as a file's size" : ""}):`,
      "",
      `| Agreement | Change | Now: ${heading} | Proposed: ${heading} |`,
      "|---|---|---|---|",
      ...preview.replay.map((row) => `| \`${row.id}\` | ${row.change} | ${figures(row.base)} | ${figures(row.proposed)} |`),
    );
  }
  if (preview.note) lines.push("", preview.note);
  return lines.join("\n");
}

/** The check run's summary: table, then what is unmet and how to get there. */
export function renderSummary(input: RenderInput): string {
  const { evaluation } = input;
  const unmet = attentionOrder(evaluation.agreements);
  const waived = evaluation.agreements.filter((a) => a.outcome === "waived");
  const parts = [agreementTable(evaluation.agreements)];
  if (input.notices && input.notices.length > 0) parts.push(input.notices.map((notice) => `> ℹ️ ${notice}`).join("\n"));
  if (unmet.length > 0) parts.push("### How to get there", ...unmet.map((a) => agreementDetails(a, input)));
  if (waived.length > 0) parts.push(...waived.map((a) => agreementDetails(a, input)));
  if (input.amendment) parts.push(amendmentSection(input.amendment));
  return fit(parts.join("\n\n"));
}

const COMMANDS =
  "<sub>Commands: `/accord check` re-checks · `/accord explain <id>` shows an agreement · `/accord waive <id> <reason>` (for the teams allowed to) · `/accord report` shows where agreements chafe.</sub>";

/** The one PR comment: a friendly lead, the same table and details, and the commands. */
export function renderComment(input: RenderInput, checkName: string, hiddenData = ""): string {
  const { evaluation } = input;
  const lead =
    evaluation.conclusion === "success"
      ? "All the agreements your teams made are met for this pull request. Thank you!"
      : evaluation.conclusion === "neutral"
        ? "Everything required is met; there is some advice below that the teams agreed is worth a look."
        : "Here is where this pull request stands against the agreements your teams made, and what would get it there.";
  const body = [`${COMMENT_MARKER}`, `### ${checkName}: ${headline(evaluation)}`, lead, renderSummary(input), COMMANDS].join("\n\n");
  return hiddenData ? `${fit(body, hiddenData.length + 1)}\n${hiddenData}` : fit(body);
}

/** Summary of an agreement file that could not be read. */
export function renderConfigProblems(problems: readonly ConfigProblem[]): { title: string; summary: string } {
  const lines = [
    "The agreement file could not be read, so no agreement was checked. Each problem below says where it is and how to fix it; the file's lines are annotated too.",
    "",
    ...problems.map((problem) => `- \`${problem.file}:${problem.line}:${problem.column}\` ${problem.message}`),
    "",
    "`accord validate` finds the same problems locally, and `accord schema` gives your editor the file's JSON Schema.",
  ];
  return { title: configHeadline(problems), summary: fit(lines.join("\n")) };
}

/** Keeps text within GitHub's limit, cutting at a line and saying so. `reserve` keeps room for a tail. */
export function fit(text: string, reserve = 0, limit = GITHUB_TEXT_LIMIT): string {
  if (text.length + reserve <= limit) return text;
  const note = "\n\n_…cut here: the full list is longer than GitHub allows. Run `accord check` locally for all of it._";
  const room = Math.max(0, limit - reserve - note.length);
  const cut = text.lastIndexOf("\n", room);
  return `${text.slice(0, cut > 0 ? cut : room)}${note}`;
}
