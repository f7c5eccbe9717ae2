/** `notebooks`: committed notebooks carry no outputs and no execution counts. */
import type { AgreementScope } from "../context.js";
import { UNLISTED_FILES_HOW_TO, UNLISTED_FILES_NOTE, code, listOf, plural } from "../context.js";
import { isPresentAtHead } from "../facts.js";
import type { FileAnnotation, RequirementResult } from "../result.js";
import { met, unknown, unmet } from "./result.js";

type NotebookVerdict = { kind: "clean" } | { kind: "outputs"; cells: number } | { kind: "unparseable"; why: string };

export function inspectNotebook(text: string): NotebookVerdict {
  if (text.startsWith("version https://git-lfs")) return { kind: "unparseable", why: "it is a Git LFS pointer, so its cells are not in the repository" };
  let notebook: unknown;
  try {
    notebook = JSON.parse(text);
  } catch (error) {
    return { kind: "unparseable", why: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  if (!Array.isArray(cells)) return { kind: "unparseable", why: "it has no `cells` list, so it is not a Jupyter notebook Accord can read" };
  const withOutputs = cells.filter((cell) => {
    const c = cell as { outputs?: unknown; execution_count?: unknown } | null;
    return (Array.isArray(c?.outputs) && c.outputs.length > 0) || (c?.execution_count !== undefined && c?.execution_count !== null);
  }).length;
  return withOutputs > 0 ? { kind: "outputs", cells: withOutputs } : { kind: "clean" };
}

const OUTPUTS_TITLE = "Notebook outputs";

export const isNotebook = (path: string) => path.toLowerCase().endsWith(".ipynb");

/** How to get there when a notebook could not be read: try again, in each front door's own words (src/render/how-to.ts). */
export const NOTEBOOK_UNREADABLE_HOW_TO = "Check again.";

export function checkNotebooks({ view, files }: AgreementScope): RequirementResult {
  const texts = view.facts.notebooks ?? {};
  const annotations: FileAnnotation[] = [];
  const unreadable: string[] = [];
  let checked = 0;
  for (const file of files) {
    if (!isPresentAtHead(file) || !isNotebook(file.path)) continue;
    checked += 1;
    const text = texts[file.path];
    if (text === undefined || text === null) {
      unreadable.push(file.path);
      continue;
    }
    const verdict = inspectNotebook(text);
    if (verdict.kind === "outputs") {
      annotations.push({
        path: file.path,
        title: OUTPUTS_TITLE,
        message: `${plural(verdict.cells, "cell")} still ${verdict.cells === 1 ? "has" : "have"} outputs or an execution count. The teams agreed to commit notebooks cleared: run \`jupyter nbconvert --clear-output --inplace ${file.path}\` (or use nbstripout) and push again.`,
      });
    } else if (verdict.kind === "unparseable") {
      annotations.push({ path: file.path, title: "Notebook could not be read", message: `Accord could not read this notebook: ${verdict.why}.` });
    }
  }
  if (annotations.length > 0) {
    const withOutputs = annotations.filter((a) => a.title === OUTPUTS_TITLE).map((a) => a.path);
    const unparseable = annotations.filter((a) => a.title !== OUTPUTS_TITLE).map((a) => a.path);
    const said = [
      withOutputs.length > 0 ? `${listOf(withOutputs.map(code))} still ${withOutputs.length === 1 ? "has" : "have"} outputs` : "",
      unparseable.length > 0 ? `${listOf(unparseable.map(code))} could not be read as ${unparseable.length === 1 ? "a notebook" : "notebooks"}` : "",
    ].filter(Boolean);
    return unmet(
      "notebooks",
      `The teams agreed to commit notebooks with outputs cleared; ${said.join(", and ")}.`,
      unparseable.length > 0 && withOutputs.length === 0
        ? "Check that the notebook is valid JSON saved by Jupyter (the annotation says what is wrong), then push again."
        : "Clear the outputs (`jupyter nbconvert --clear-output --inplace <notebook>`, or set up nbstripout once) and push again.",
      annotations,
    );
  }
  if (unreadable.length > 0) {
    return unknown("notebooks", `Accord could not read ${listOf(unreadable.map(code))} at the head commit.`, NOTEBOOK_UNREADABLE_HOW_TO);
  }
  if (!view.filesComplete) return unknown("notebooks", UNLISTED_FILES_NOTE(view), UNLISTED_FILES_HOW_TO);
  return met("notebooks", checked > 0 ? `${plural(checked, "notebook")} committed with outputs cleared, as agreed.` : "No notebook changed.");
}
