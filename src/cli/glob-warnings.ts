/**
 * `accord validate` inside a repository: a warning, located at the glob's line and column, for
 * each glob that matches no file the repository tracks (SPEC §1.1). A typo in `pipelines/**`
 * would otherwise make an agreement silently apply to nothing. Warnings never fail validation.
 */
import { isNode, LineCounter, parseDocument } from "yaml";
import type { AgreementFile } from "../agreement/schema.js";
import { compileGlob } from "../engine/globs.js";
import { Git, repositoryRoot } from "./git.js";

export interface GlobWarning {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function formatWarning(warning: GlobWarning): string {
  return `${warning.file}:${warning.line}:${warning.column}: warning: ${warning.message}`;
}

/** Where a glob sits in the file, what it is called there, and what it means when it matches nothing. */
interface GlobSite {
  path: (string | number)[];
  agreementId: string;
  key: string;
  glob: string;
  consequence: string;
}

const CONSEQUENCE: Record<string, string> = {
  "when.paths": "so the agreement applies only to a pull request that adds such a file",
  "when.paths_ignore": "so it leaves nothing out",
  "require.companions": "so a pull request meets it only by adding such a file",
  "require.forbidden": "which is fine when it keeps such files out",
  "require.size.ignore": "so it leaves nothing out of the count",
};

function globSites(file: AgreementFile): GlobSite[] {
  const sites: GlobSite[] = [];
  file.agreements.forEach((agreement, index) => {
    const add = (keys: (string | number)[], globs: readonly string[] | undefined) => {
      const key = keys.join(".");
      (globs ?? []).forEach((glob, position) =>
        sites.push({ path: ["agreements", index, ...keys, position], agreementId: agreement.id, key, glob, consequence: CONSEQUENCE[key]! }),
      );
    };
    add(["when", "paths"], agreement.when?.paths);
    add(["when", "paths_ignore"], agreement.when?.paths_ignore);
    add(["require", "companions"], agreement.require.companions);
    add(["require", "forbidden"], agreement.require.forbidden);
    add(["require", "size", "ignore"], agreement.require.size?.ignore);
  });
  return sites;
}

/** The warnings for a valid file; none when `dir` is not inside a git repository (or git is missing). */
export async function unmatchedGlobWarnings(file: AgreementFile, text: string, fileName: string, dir: string): Promise<GlobWarning[]> {
  const sites = globSites(file);
  if (sites.length === 0) return [];
  const root = await repositoryRoot(dir);
  if (!root) return [];
  const listing = await new Git(root).tryOutput(["ls-files", "-z"]);
  if (listing === undefined) return [];
  const tracked = listing.split("\0").filter(Boolean);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const locate = (path: (string | number)[]): { line: number; column: number } => {
    // The glob's own scalar; else its nearest ancestor that has a place in the text (anchors and aliases have none of their own).
    for (let length = path.length; length > 0; length--) {
      const node = doc.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  };
  const warnings: GlobWarning[] = [];
  for (const site of sites) {
    const glob = compileGlob(site.glob);
    if (tracked.some((path) => glob.matches(path))) continue;
    warnings.push({
      file: fileName,
      ...locate(site.path),
      message: `In agreement \`${site.agreementId}\`, \`${site.key}\` glob \`${site.glob}\` matches no tracked file (\`git ls-files\`), ${site.consequence}. Check its spelling if such files exist.`,
    });
  }
  return warnings.sort((a, b) => a.line - b.line || a.column - b.column);
}
