/** `max_file_size`: every added or modified file in scope is at most the agreed size at the head commit. */
import { formatByteSize } from "../../agreement/byte-size.js";
import type { AgreementScope } from "../context.js";
import { UNLISTED_FILES_HOW_TO, UNLISTED_FILES_NOTE, code, listOf, plural } from "../context.js";
import { isPresentAtHead } from "../facts.js";
import type { RequirementResult } from "../result.js";
import { met, unknown, unmet } from "./result.js";

/**
 * How to get there when a size could not be read: try again. Neutral on purpose — each front door
 * (the app, the CLI) says "try again" in its own words (src/render/how-to.ts).
 */
export const SIZE_UNREADABLE_HOW_TO = "Check again; if it keeps failing, the file may be too large to read.";

export function checkMaxFileSize(limit: number, { view, files }: AgreementScope): RequirementResult {
  const sizes = view.facts.fileSizes ?? {};
  const oversized: { path: string; size: number }[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    if (!isPresentAtHead(file)) continue;
    const size = sizes[file.path];
    if (size === undefined || size === null) unreadable.push(file.path);
    else if (size > limit) oversized.push({ path: file.path, size });
  }
  const agreed = formatByteSize(limit);
  // Rounded, a file just over the limit would read "5 MB, larger than the agreed 5 MB": say the bytes then.
  const sizeOf = (size: number) => (formatByteSize(size) === agreed ? `${size.toLocaleString("en")} bytes` : formatByteSize(size));
  if (oversized.length > 0) {
    return unmet(
      "max_file_size",
      `${plural(oversized.length, "file")} ${oversized.length === 1 ? "is" : "are"} larger than the agreed ${agreed}: ${listOf(oversized.map((o) => `${code(o.path)} (${sizeOf(o.size)})`))}.`,
      "Keep large files out of git: move them to Git LFS or object storage and commit a small pointer or a download step instead.",
      oversized.map((o) => ({
        path: o.path,
        title: "Larger than agreed",
        message: `This file is ${sizeOf(o.size)}; the teams agreed on at most ${agreed} per file. Move it to Git LFS or object storage.`,
      })),
    );
  }
  if (unreadable.length > 0) {
    return unknown("max_file_size", `Accord could not read the size of ${listOf(unreadable.map(code))} at the head commit.`, SIZE_UNREADABLE_HOW_TO);
  }
  if (!view.filesComplete) return unknown("max_file_size", UNLISTED_FILES_NOTE(view), UNLISTED_FILES_HOW_TO);
  return met("max_file_size", `Every changed file is within the agreed ${agreed}.`);
}
