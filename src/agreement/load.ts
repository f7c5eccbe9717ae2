/** Finds the agreement file through any reader (git, GitHub), trying `.yml` then `.yaml`. */
import { AGREEMENT_FILE_PATHS } from "./schema-constants.js";
import { parseAgreements, type ParsedAgreements } from "./parse.js";

export interface LoadedAgreements {
  path: string;
  text: string;
  parsed: ParsedAgreements;
}

export async function loadAgreements(read: (path: string) => Promise<string | undefined>): Promise<LoadedAgreements | undefined> {
  for (const path of AGREEMENT_FILE_PATHS) {
    const text = await read(path);
    if (text !== undefined) return { path, text, parsed: parseAgreements(text, path) };
  }
  return undefined;
}
