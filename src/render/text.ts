/** Terminal output for `accord check`: one line per agreement, "how to get there" under unmet ones. */
import type { AgreementResult, Outcome } from "../engine/result.js";
import { headline } from "./headline.js";
import { phraseHowTo } from "./how-to.js";
import { OUTCOME_WORDS, type RenderInput } from "./report-model.js";

const SYMBOL: Record<Outcome, string> = { pass: "✔", fail: "✘", waiting: "…", waived: "~", skipped: "-", error: "!" };
const COLOUR: Record<Outcome, number> = { pass: 32, fail: 31, waiting: 33, waived: 36, skipped: 90, error: 35 };

/** `lead`: lines under the headline saying what was compared (e.g. "main...HEAD: 3 changed files"). */
export function renderText(input: RenderInput, options: { colour: boolean; lead?: readonly string[] }): string {
  const paint = (code: number, text: string) => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const dim = (text: string) => paint(90, text);
  const { evaluation } = input;
  const door = input.door ?? "cli";
  const lines: string[] = [];
  const conclusionColour = { success: 32, failure: 31, waiting: 33, neutral: 36 }[evaluation.conclusion];
  lines.push(paint(conclusionColour, `${evaluation.conclusion.toUpperCase()}: ${headline(evaluation)}`));
  for (const line of options.lead ?? []) lines.push(dim(line));
  lines.push("");
  for (const agreement of evaluation.agreements) {
    lines.push(agreementLine(agreement, paint));
    if (agreement.outcome === "skipped") continue;
    // A waiver with no giver is a local one (`accord check --waive`).
    if (agreement.waiver) lines.push(dim(`    waived${agreement.waiver.by ? ` by @${agreement.waiver.by}` : ""}: ${agreement.waiver.reason}`));
    if (agreement.note) lines.push(`    ${agreement.note}`);
    if (agreement.howTo && agreement.outcome !== "waived") lines.push(`    ${paint(1, "How to get there:")} ${phraseHowTo(agreement.howTo, door)}`);
    for (const requirement of agreement.requirements) {
      if (requirement.outcome === "pass") continue;
      lines.push(`    ${requirement.message}`);
      if (requirement.howTo) lines.push(`    ${paint(1, "How to get there:")} ${phraseHowTo(requirement.howTo, door)}`);
      for (const pending of requirement.pending ?? []) {
        const suggested = input.suggestions?.[pending.team] ?? [];
        if (suggested.length > 0) lines.push(dim(`    Suggested from ${pending.teamName}: ${suggested.map((s) => `@${s.login}${s.reason ? ` (${s.reason})` : ""}`).join(", ")}`));
      }
    }
  }
  for (const notice of input.notices ?? []) lines.push("", dim(`note: ${notice}`));
  return lines.join("\n");
}

function agreementLine(agreement: AgreementResult, paint: (code: number, text: string) => string): string {
  const tags = [agreement.severity === "advisory" ? "advisory" : "", agreement.mode === "trial" ? "trial" : ""].filter(Boolean);
  const tagText = tags.length > 0 ? ` [${tags.join(", ")}]` : "";
  const outcome = paint(COLOUR[agreement.outcome], `${SYMBOL[agreement.outcome]} ${OUTCOME_WORDS[agreement.outcome].padEnd(21)}`);
  return `${outcome} ${agreement.id}${tagText} — ${agreement.title}`;
}
