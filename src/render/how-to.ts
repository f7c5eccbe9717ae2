/**
 * "How to get there", in the words of the front door the reader stands at. The engine never
 * names a front door: where the way forward is "try again", it returns a neutral hint, and
 * each front door phrases it — on GitHub by commenting `/accord check`, in a terminal by
 * running `accord check` again.
 */
import { SIZE_UNREADABLE_HOW_TO } from "../engine/requirements/max-file-size.js";
import { NOTEBOOK_UNREADABLE_HOW_TO } from "../engine/requirements/notebooks.js";

/** Where the reader is: a pull request on GitHub (the app, the Action), or the `accord` command. */
export type FrontDoor = "github" | "cli";

const RETRY: Record<string, Record<FrontDoor, string>> = {
  [SIZE_UNREADABLE_HOW_TO]: {
    github: "Re-run the check with `/accord check`; if it keeps failing, the file may be too large for GitHub's API.",
    cli: "Run `accord check` again; if it keeps failing, the path may be a submodule or an object missing from this clone (`git fetch` and try again).",
  },
  [NOTEBOOK_UNREADABLE_HOW_TO]: {
    github: "Re-run the check with `/accord check`.",
    cli: "Run `accord check` again; if it keeps failing, the notebook may be missing from this clone (`git fetch` and try again).",
  },
};

/** The engine's hint, phrased for the reader's front door. */
export function phraseHowTo(howTo: string, door: FrontDoor): string {
  return RETRY[howTo]?.[door] ?? howTo;
}
