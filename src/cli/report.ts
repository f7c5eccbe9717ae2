/** `accord report`: the friction report. The friction store arrives with the report itself. */
import { CliError } from "./errors.js";
import type { CliIo } from "./main.js";

export async function runReport(_args: string[], _io: CliIo): Promise<number> {
  throw new CliError("The friction report is not available in this version yet: Accord does not record evaluations yet.");
}
