/**
 * Agreements made ready to evaluate: globs and patterns compiled once per file, then reused
 * for every pull request judged by that file.
 */
import { RE2JS } from "re2js";
import { parseByteSize } from "../agreement/byte-size.js";
import type { Agreement, AgreementFile } from "../agreement/schema.js";
import { compileBranchGlob, compileGlob, type CompiledGlob } from "./globs.js";

export interface CompiledAgreement {
  agreement: Agreement;
  title: string;
  implicit: boolean;
  paths?: CompiledGlob[];
  pathsIgnore?: CompiledGlob[];
  baseBranches?: CompiledGlob[];
  sizeIgnore: CompiledGlob[];
  companions: CompiledGlob[];
  forbidden: CompiledGlob[];
  titlePattern?: RE2JS;
  maxFileSize?: number;

  
}

export interface CompiledFile {
  file: AgreementFile;
  agreements: CompiledAgreement[];
}

const compiledFiles = new WeakMap<AgreementFile, CompiledFile>();

const globs = (list: readonly string[] | undefined) => list?.map(compileGlob);

export function compileAgreement(agreement: Agreement, implicit = false): CompiledAgreement {
  const { when, require } = agreement;
  const compiled: CompiledAgreement = {
    agreement,
    title: agreement.title ?? agreement.id,
    implicit,
    sizeIgnore: globs(require.size?.ignore) ?? [],
    companions: globs(require.companions) ?? [],
    forbidden: globs(require.forbidden) ?? [],

  };
  if (when?.paths) compiled.paths = globs(when.paths);
  if (when?.paths_ignore) compiled.pathsIgnore = globs(when.paths_ignore);
  // Branch names are not paths: `main` must not match `feature/main`, so no CODEOWNERS habits here.
  if (when?.base_branches) compiled.baseBranches = when.base_branches.map(compileBranchGlob);
  if (require.title) compiled.titlePattern = RE2JS.compile(require.title.pattern);
  if (require.max_file_size !== undefined) compiled.maxFileSize = parseByteSize(require.max_file_size);
  return compiled;
}

/** Compiles a validated file once; later calls with the same object reuse the result. */
export function compileFile(file: AgreementFile): CompiledFile {
  const known = compiledFiles.get(file);
  if (known) return known;
  const compiled = { file, agreements: file.agreements.map((agreement) => compileAgreement(agreement)) };
  compiledFiles.set(file, compiled);
  return compiled;
}
