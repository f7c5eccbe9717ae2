/**
 * The agreement file, defined once. Types, validation messages and the published
 * JSON Schema all come from these definitions (SPEC §1).
 */
import { z } from "zod";
import { BYTE_SIZE_PATTERN } from "./byte-size.js";
import { GLOB_LIMITS, globProblem, type GlobFlavor } from "../engine/globs.js";
import { checkAcrossFile } from "./cross-checks.js";
import { AGREEMENT_ID_PATTERN, DEFAULT_CHECK_NAME } from "./schema-constants.js";

export { AGREEMENT_FILE_PATHS, AGREEMENT_ID_PATTERN, DEFAULT_CHECK_NAME, IMPLICIT_AMENDMENT_ID } from "./schema-constants.js";

/** The most globs in one list and agreements in one file: far beyond real files, well short of slowing a check. */
export const MAX_GLOBS_PER_LIST = 200;
export const MAX_AGREEMENTS = 500;

const PATH_GLOBS =
  "globs matched against the full path from the repository root, dot files included, with the CODEOWNERS habits: no `/` but a trailing one matches at any depth (`*.pkl`), a leading `/` anchors at the root (`/docs/**`), a trailing `/` is the folder and everything under it (`backend/`); otherwise minimatch syntax";
const BRANCH_GLOBS = "minimatch globs matched against the whole branch name: `main` is only `main`, `release/*` is every release branch";

const listed = (input: unknown) => (Array.isArray(input) ? `${input.length.toLocaleString("en-US")} ` : "");

/**
 * One glob. Its length is capped here, so the JSON Schema has it too; whether it compiles (the
 * other caps, `!(…)`) is checked across the file (cross-checks.ts), within a budget for the file.
 */
const glob = (flavor: GlobFlavor) =>
  z
    .string()
    .min(1, { error: "must not be empty text" })
    .max(GLOB_LIMITS.length, { error: (issue) => globProblem(String(issue.input), flavor) ?? `must be at most ${GLOB_LIMITS.length} characters` });

const globList = (what: string, flavor: GlobFlavor = "path") =>
  z
    .array(glob(flavor))
    .max(MAX_GLOBS_PER_LIST, {
      error: (issue) =>
        `lists ${listed(issue.input)}globs; Accord reads at most ${MAX_GLOBS_PER_LIST} in one list. Cover several at once with a broader glob, such as \`dir/**\` or \`*.{csv,parquet}\``,
    })
    .describe(`${what} (${flavor === "path" ? PATH_GLOBS : BRANCH_GLOBS})`);

const loginList = z.array(z.string().min(1, { error: "must not be empty text" }));

const people = z
  .strictObject({
    teams: z.array(z.string().min(1)).default([]).describe("Team keys from `teams`; the author is matched when they are a member"),
    users: loginList.default([]).describe("GitHub logins"),
  })
  .describe("People: members of these teams, or these users");

export const teamSchema = z
  .strictObject({
    github_team: z.string().min(1).optional().describe("Team slug in the repository's organization"),
    members: loginList.optional().describe("Explicit GitHub logins (a union with the GitHub team's members)"),
    name: z.string().min(1).optional().describe("Display name; defaults to the team's key"),
  })
  .refine((team) => team.github_team !== undefined || (team.members?.length ?? 0) > 0, {
    error: "needs `github_team`, `members`, or both, so Accord knows who belongs to it",
  })
  .describe("A team that takes part in the agreements");

const reviewerSettings = z
  .strictObject({
    suggest: z
      .int({ error: "must be a whole number" })
      .min(0, { error: "must be a whole number of at least 0" })
      .default(2)
      .describe("Candidates shown per team still needed; 0 turns suggestions off"),
    request: z.boolean().default(false).describe("Also request the top candidate of each team on GitHub"),
    away: loginList.default([]).describe("Logins never suggested (holidays, leave, focus time)"),
  })
  .describe("Reviewer suggestions");

export const settingsSchema = z
  .strictObject({
    check_name: z.string().min(1).default(DEFAULT_CHECK_NAME).describe("Name of the check run"),
    comment: z
      .enum(["on_attention", "always", "never"])
      .default("on_attention")
      .describe("When the summary comment is written"),
    skip_drafts: z.boolean().default(true).describe("Draft pull requests get a neutral check and no comment"),
    amendments: z
      .enum(["all_teams", "none"])
      .default("all_teams")
      .describe("Whether a change to the agreement file needs an approval from every team"),
    report: z.enum(["off", "weekly"]).default("off").describe("Keep an \"Agreement health\" issue up to date"),
    reviewers: reviewerSettings.prefault({}),
  })
  .describe("Settings; every key is optional");

const conditionsSchema = z
  .strictObject({
    paths: globList("At least one changed file matches one of these").optional(),
    paths_ignore: globList("Changed files removed before `paths` is tested").optional(),
    base_branches: globList("The base branch name matches one of these", "branch").optional(),
    authors: people.optional().describe("The author is one of these people"),
    not_authors: people.optional().describe("The author is none of these people"),
    labels: z.array(z.string().min(1)).optional().describe("The PR has at least one of these labels"),
    not_labels: z.array(z.string().min(1)).optional().describe("The PR has none of these labels"),
  })
  .describe("All given conditions must hold; without `when` the agreement applies to every PR");

const approvalSchema = z
  .strictObject({
    team: z.string().min(1).describe("Team key from `teams`"),
    count: z
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be a whole number of at least 1" })
      .default(1)
      .describe("Distinct approving members needed"),
    stale_on_push: z
      .boolean()
      .default(false)
      .describe("Only approvals given on the current head commit count: a push makes earlier approvals stale (like GitHub's \"dismiss stale approvals\")"),
  })
  .describe("Approvals from one team");

const descriptionSchema = z
  .strictObject({
    sections: z.array(z.string().min(1)).default([]).describe("Markdown headings that must exist, each with text under it"),
    min_length: z
      .int({ error: "must be a whole number" })
      .min(0, { error: "must be a whole number of at least 0" })
      .default(0)
      .describe("Minimum characters in the body, HTML comments excluded"),
    checklist: z.literal("complete").optional().describe("`complete`: no unticked `- [ ]` item is left"),
  })
  .describe("The pull request description");

const sizeSchema = z
  .strictObject({
    max_lines: z
      .int({ error: "must be a whole number" })
      .min(0, { error: "must be a whole number of at least 0" })
      .optional()
      .describe("Most lines changed (additions + deletions) over the files counted"),
    max_files: z
      .int({ error: "must be a whole number" })
      .min(0, { error: "must be a whole number of at least 0" })
      .optional()
      .describe("Most files changed, over the files counted"),
    ignore: globList("Changed files not counted").default([]),
  })
  .refine((size) => size.max_lines !== undefined || size.max_files !== undefined, {
    error: "needs `max_lines`, `max_files`, or both",
  })
  .describe("Size of the change, over every changed file");

const BYTE_SIZE_MESSAGE = "must be a size such as 500KB, 5MB or 1GB (units B, KB, MB, GB; powers of 1024), or a whole number of bytes";
const byteSize = z
  .union(
    [
      z.int({ error: BYTE_SIZE_MESSAGE }).min(0, { error: BYTE_SIZE_MESSAGE }),
      z.string({ error: BYTE_SIZE_MESSAGE }).regex(BYTE_SIZE_PATTERN, { error: BYTE_SIZE_MESSAGE }),
    ],
    { error: BYTE_SIZE_MESSAGE },
  )
  .describe("Largest allowed file at the head commit, e.g. 5MB (B, KB, MB, GB; powers of 1024); a plain number is bytes");

export const requirementsSchema = z
  .strictObject({
    approvals: z
      .array(approvalSchema)
      .min(1, { error: "must list at least one team" })
      .optional()
      .describe("Approvals needed from each listed team; unmet approvals make the agreement wait rather than fail"),
    description: descriptionSchema.optional(),
    title: z
      .strictObject({ pattern: z.string().min(1).describe("RE2 regular expression the title must match (linear-time: no lookarounds or backreferences)") })
      .optional()
      .describe("The pull request title"),
    size: sizeSchema.optional(),
    companions: globList("For each glob, at least one changed file (not removed) matches it").optional(),
    forbidden: globList("No added, modified or renamed-to file may match").optional(),
    labels: z
      .strictObject({
        all_of: z.array(z.string().min(1)).default([]).describe("Labels the PR must have, every one"),
        none_of: z.array(z.string().min(1)).default([]).describe("Labels the PR must not have"),
      })
      .optional()
      .describe("The pull request's labels"),
    linked_issue: z.boolean().optional().describe("The body references an issue"),
    notebooks: z
      .strictObject({ outputs: z.literal("cleared").describe("`cleared`: no cell outputs and no execution counts") })
      .optional()
      .describe("Jupyter notebooks are committed without outputs"),
    max_file_size: byteSize.optional(),
  })
  .refine((require) => Object.values(require).some((value) => value !== undefined), {
    error: "needs at least one requirement, such as `approvals` or `forbidden`",
  })
  .describe("What the agreement asks for; every key given must hold");

export const agreementSchema = z
  .strictObject({
    id: z
      .string({ error: (issue) => (issue.input === undefined ? "is missing" : "must be text") })
      .regex(AGREEMENT_ID_PATTERN, { error: "must be lowercase letters, digits and dashes, starting with a letter or digit" })
      .describe("Unique id, used in commands such as `/accord waive <id>`"),
    title: z.string().min(1).optional().describe("One line saying what was agreed; defaults to the id"),
    context: z.string().optional().describe("The teams' own words: what this protects and how to meet it"),
    severity: z
      .enum(["required", "advisory"])
      .default("required")
      .describe("`required` (default) blocks merging while unmet; `advisory` only advises"),
    mode: z
      .enum(["enforce", "trial"])
      .default("enforce")
      .describe("`enforce` (default) counts toward the check's conclusion; `trial` is shown and recorded but never changes it"),
    waivable_by: z.array(z.string().min(1)).default([]).describe("Teams whose members may waive it; default nobody"),
    when: conditionsSchema.optional(),
    require: requirementsSchema,
  })
  .describe("One agreement");

export const agreementFileSchema = z
  .strictObject({
    version: z
      .literal(1, {
        error: (issue) =>
          issue.input === undefined
            ? "is missing; start the file with `version: 1`"
            : typeof issue.input === "string" && issue.input.trim() === "1"
              ? "must be the number 1, without quotes"
              : "must be 1, the version of the agreement file this Accord understands",
      })
      .describe("Version of the agreement file format; always 1"),
    teams: z.record(z.string().min(1), teamSchema).default({}).describe("The teams, by key"),
    settings: settingsSchema.prefault({}),
    agreements: z
      .array(agreementSchema)
      .max(MAX_AGREEMENTS, {
        error: (issue) =>
          `lists ${listed(issue.input)}agreements; Accord reads at most ${MAX_AGREEMENTS} in one file. Merge agreements that ask the same of the same paths (a list of globs can hold many folders)`,
      })
      .default([])
      .describe("The agreements, checked on every pull request in this order"),
  })
  // `when`: report cross-file problems together with the others, not one round later.
  .superRefine(checkAcrossFile, { when: () => true })
  .describe("Accord agreement file (.github/agreements.yml)");

export type AgreementFile = z.output<typeof agreementFileSchema>;
export type AgreementFileInput = z.input<typeof agreementFileSchema>;
export type Agreement = z.output<typeof agreementSchema>;
export type Team = z.output<typeof teamSchema>;
export type Settings = z.output<typeof settingsSchema>;
export type Conditions = z.output<typeof conditionsSchema>;
export type Requirements = z.output<typeof requirementsSchema>;
export type RequirementKind = keyof Requirements;
export type ApprovalRule = z.output<typeof approvalSchema>;
export type People = z.output<typeof people>;

/** Requirement keys in the order the file format documents them; the order results are listed in. */
export const REQUIREMENT_KINDS: readonly RequirementKind[] = [
  "approvals",
  "description",
  "title",
  "size",
  "companions",
  "forbidden",
  "labels",
  "linked_issue",
  "notebooks",
  "max_file_size",
];

/** The JSON Schema editors use to validate the file (`accord schema`). */
export function agreementJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(agreementFileSchema, {
    io: "input",
    unrepresentable: "any",
    // The refinements zod cannot express, spelled out so editors flag what `accord validate` flags.
    override: ({ zodSchema, jsonSchema }) => {
      const def = zodSchema._zod.def as { type: string; shape?: Record<string, unknown> };
      if (def.type !== "object" || !def.shape) return;
      const keys = Object.keys(def.shape).join(",");
      if (keys === Object.keys(requirementsSchema.shape).join(",")) jsonSchema.minProperties = 1;
      if (keys === Object.keys(sizeSchema.shape).join(",")) jsonSchema.anyOf = [{ required: ["max_lines"] }, { required: ["max_files"] }];
      if (keys === Object.keys(teamSchema.shape).join(",")) jsonSchema.anyOf = [{ required: ["github_team"] }, { required: ["members"] }];
    },
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: "https://accord.dev/schema/agreements-v1.json",
    title: "Accord agreement file",
  };
}
