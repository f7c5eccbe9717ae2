/** `/accord …` commands in PR comments: parsing, and the plain-words help that answers anything else. */
import type { Agreement, AgreementFile } from "../agreement/schema.js";
import { formatByteSize, parseByteSize } from "../agreement/byte-size.js";
import { listOf } from "../engine/context.js";

export type Command =
  | { kind: "check" }
  | { kind: "explain"; id: string }
  | { kind: "waive"; id: string; reason: string }
  | { kind: "unwaive"; id: string }
  | { kind: "report" }
  | { kind: "help" }
  | { kind: "invalid"; problem: string };

/** Reads a comment; undefined when its first line does not start with `/accord`. */
export function parseCommand(body: string): Command | undefined {
  const [firstLine = "", ...rest] = body.replace(/\r\n?/g, "\n").trimStart().split("\n");
  const match = /^\/accord(?:\s+(.*))?$/i.exec(firstLine.trim());
  if (!match) return undefined;
  const words = (match[1] ?? "").trim().split(/\s+/).filter(Boolean);
  const [verb = "", id, ...reasonWords] = words;
  switch (verb.toLowerCase()) {
    case "check":
      return { kind: "check" };
    case "explain":
      return id ? { kind: "explain", id } : { kind: "invalid", problem: "`/accord explain` needs the id of an agreement, e.g. `/accord explain no-binaries`." };
    case "waive": {
      const reason = [reasonWords.join(" "), ...rest].join("\n").trim();
      if (!id) return { kind: "invalid", problem: "`/accord waive` needs the id of an agreement and a reason, e.g. `/accord waive no-binaries the fixture is 2 KB and needed by the tests`." };
      if (!reason) return { kind: "invalid", problem: `A waiver needs a reason, so the teams can see later why \`${id}\` was set aside: \`/accord waive ${id} <reason>\`.` };
      return { kind: "waive", id, reason };
    }
    case "unwaive":
      return id ? { kind: "unwaive", id } : { kind: "invalid", problem: "`/accord unwaive` needs the id of the waived agreement, e.g. `/accord unwaive no-binaries`." };
    case "report":
      return { kind: "report" };
    case "help":
    case "":
      return { kind: "help" };
    default:
      return { kind: "invalid", problem: `\`/accord ${verb}\` is not a command Accord knows.` };
  }
}

export function commandHelp(file: AgreementFile | undefined): string {
  const waivable = file
    ? file.agreements.filter((a) => a.waivable_by.length > 0).map((a) => `\`${a.id}\` (${listOf(a.waivable_by.map((team) => file.teams[team]?.name ?? team))})`)
    : [];
  return [
    "These work in a comment on this pull request:",
    "",
    "- `/accord check` checks the pull request again",
    "- `/accord explain <id>` shows what an agreement asks for and why",
    "- `/accord waive <id> <reason>` sets an agreement aside for this pull request — for members of the teams allowed to waive it",
    "- `/accord unwaive <id>` takes a waiver back",
    "- `/accord report` shows where the agreements chafe",
    ...(waivable.length > 0 ? ["", `Waivable here: ${listOf(waivable, 20)}.`] : file ? ["", "No agreement in this repository can be waived (none names `waivable_by`)."] : []),
  ].join("\n");
}

/** What an agreement asks for, in words, for `/accord explain`. */
export function explainAgreement(agreement: Agreement, file: AgreementFile): string {
  const team = (key: string) => file.teams[key]?.name ?? key;
  const globs = (list: readonly string[]) => listOf(list.map((g) => `\`${g}\``), 20);
  const lines = [`### ${agreement.title ?? agreement.id} (\`${agreement.id}\`)`];
  if (agreement.context) lines.push("", agreement.context.trim().split("\n").map((line) => `> ${line}`).join("\n"));
  const tags = [agreement.severity === "advisory" ? "advisory: shown, does not block merging" : "required", agreement.mode === "trial" ? "on trial: recorded, never blocks" : ""].filter(Boolean);
  lines.push("", `**Kind:** ${tags.join("; ")}`);
  const when = agreement.when;
  const conditions: string[] = [];
  if (when?.paths) conditions.push(`it changes ${globs(when.paths)}`);
  if (when?.paths_ignore) conditions.push(`not counting ${globs(when.paths_ignore)}`);
  if (when?.base_branches) conditions.push(`it targets ${globs(when.base_branches)}`);
  if (when?.authors) conditions.push(`its author is ${listOf([...when.authors.teams.map((t) => `in ${team(t)}`), ...when.authors.users.map((u) => `@${u}`)], 20)}`);
  if (when?.not_authors) conditions.push(`its author is not ${listOf([...when.not_authors.teams.map((t) => `in ${team(t)}`), ...when.not_authors.users.map((u) => `@${u}`)], 20)}`);
  if (when?.labels) conditions.push(`it has a label among ${globs(when.labels)}`);
  if (when?.not_labels) conditions.push(`it has none of the labels ${globs(when.not_labels)}`);
  lines.push(`**Applies when:** ${conditions.length > 0 ? conditions.join("; ") : "every pull request"}`);
  lines.push("", "**Asks for:**");
  const r = agreement.require;
  if (r.approvals) lines.push(`- approvals: ${listOf(r.approvals.map((a) => `${a.count} from ${team(a.team)}`), 20)} (the author's own does not count)`);
  if (r.description) {
    const parts = [
      r.description.sections.length > 0 ? `sections ${listOf(r.description.sections.map((s) => `"${s}"`), 20)} with text under each` : "",
      r.description.min_length > 0 ? `at least ${r.description.min_length} characters` : "",
      r.description.checklist === "complete" ? "every checklist item ticked" : "",
    ].filter(Boolean);
    lines.push(`- a description with ${listOf(parts)}`);
  }
  if (r.title) lines.push(`- a title matching \`${r.title.pattern}\``);
  if (r.size) lines.push(`- at most ${listOf([r.size.max_lines !== undefined ? `${r.size.max_lines} changed lines` : "", r.size.max_files !== undefined ? `${r.size.max_files} changed files` : ""].filter(Boolean))}${r.size.ignore.length > 0 ? `, not counting ${globs(r.size.ignore)}` : ""}`);
  if (r.companions) lines.push(`- a changed file matching each of ${globs(r.companions)}`);
  if (r.forbidden) lines.push(`- no added or modified file matching ${globs(r.forbidden)}`);
  if (r.labels) lines.push(`- labels: ${listOf([...r.labels.all_of.map((l) => `\`${l}\` present`), ...r.labels.none_of.map((l) => `\`${l}\` absent`)], 20)}`);
  if (r.linked_issue) lines.push("- a linked issue in the description (`#123`, `owner/repo#123` or a URL)");
  if (r.notebooks) lines.push("- notebooks committed with outputs cleared");
  if (r.max_file_size !== undefined) lines.push(`- no changed file larger than ${formatByteSize(parseByteSize(r.max_file_size) ?? 0)}`);
  lines.push("", agreement.waivable_by.length > 0 ? `**Can be waived by:** ${listOf(agreement.waivable_by.map(team), 20)}, with \`/accord waive ${agreement.id} <reason>\`.` : "**Can be waived by:** nobody; change it through the agreement file.");
  return lines.join("\n");
}
