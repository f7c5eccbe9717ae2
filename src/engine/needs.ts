/**
 * Which head-commit contents the applicable agreements need, so adapters read only those:
 * sizes for `max_file_size`, texts for `notebooks`. Nothing else reads file contents.
 */
import type { AgreementFile } from "../agreement/schema.js";
import { compileFile } from "./compile.js";
import { applicability } from "./conditions.js";
import { viewOf } from "./context.js";
import { isPresentAtHead, type PullRequestFacts } from "./facts.js";
import { isNotebook } from "./requirements/notebooks.js";

export interface ContentNeeds {
  sizes: string[];
  notebooks: string[];
}

export function contentNeeds(file: AgreementFile, facts: PullRequestFacts): ContentNeeds {
  const view = viewOf(file, facts);
  const sizes = new Set<string>();
  const notebooks = new Set<string>();
  for (const compiled of compileFile(file).agreements) {
    const { require } = compiled.agreement;
    if (require.max_file_size === undefined && require.notebooks === undefined) continue;
    const applies = applicability(compiled, view);
    if (applies.applies !== true) continue;
    for (const changed of applies.scope) {
      if (!isPresentAtHead(changed)) continue;
      if (require.max_file_size !== undefined) sizes.add(changed.path);
      if (require.notebooks !== undefined && isNotebook(changed.path)) notebooks.add(changed.path);
    }
  }
  return { sizes: [...sizes], notebooks: [...notebooks] };
}
