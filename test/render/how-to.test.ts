/** "How to get there" in each front door's words: the engine names none (SPEC §2, §4). */
import { describe, expect, it } from "vitest";
import { evaluate } from "../../src/engine/evaluate.js";
import { phraseHowTo } from "../../src/render/how-to.js";
import { toCheckJson } from "../../src/render/json.js";
import { renderComment, renderSummary } from "../../src/render/markdown.js";
import { renderText } from "../../src/render/text.js";
import { changed, facts, oneAgreement } from "../engine/helpers.js";
import { inputOf } from "./fixtures.js";

/** A file whose size and a notebook that could not be read at the head commit: the way forward is "try again". */
function unreadable() {
  const file = oneAgreement(`  - id: small-notebooks
    title: Small, cleared notebooks
    require: { max_file_size: 1MB, notebooks: { outputs: cleared } }`);
  return evaluate(file, facts({ files: [changed("nb/a.ipynb", "added")], fileSizes: { "nb/a.ipynb": null }, notebooks: { "nb/a.ipynb": null } }));
}

describe("the engine's retry hints", () => {
  it("name no front door: no `/accord check`, no `accord check`, no GitHub", () => {
    for (const requirement of unreadable().agreements[0]!.requirements) {
      expect(requirement.outcome).toBe("error");
      expect(requirement.howTo).toBeDefined();
      expect(requirement.howTo).not.toMatch(/accord check|GitHub/);
    }
  });
});

describe("each front door phrases them", () => {
  it("keeps the app's words on GitHub: comment `/accord check`", () => {
    const summary = renderSummary(inputOf(unreadable()));
    expect(summary).toContain("**How to get there:** Re-run the check with `/accord check`; if it keeps failing, the file may be too large for GitHub's API.");
    expect(summary).toContain("**How to get there:** Re-run the check with `/accord check`.");
    expect(renderComment(inputOf(unreadable()), "Team agreements")).toContain("Re-run the check with `/accord check`; if it keeps failing");
  });

  it("says `accord check` again in the terminal, in the CLI's markdown and in the JSON", () => {
    const text = renderText(inputOf(unreadable()), { colour: false });
    expect(text).toContain("How to get there: Run `accord check` again; if it keeps failing, the path may be a submodule");
    expect(text).not.toContain("/accord check");
    const markdown = renderSummary(inputOf(unreadable(), { door: "cli" }));
    expect(markdown).toContain("**How to get there:** Run `accord check` again");
    expect(markdown).not.toContain("/accord check");
    const json = toCheckJson(unreadable());
    const hints = json.agreements[0]!.requirements.map((r) => r.hint);
    expect(hints).toHaveLength(2);
    for (const hint of hints) expect(hint).toMatch(/^Run `accord check` again/);
  });

  it("leaves every other hint as the engine wrote it", () => {
    expect(phraseHowTo("Ask someone in Platform for a review.", "github")).toBe("Ask someone in Platform for a review.");
    expect(phraseHowTo("Ask someone in Platform for a review.", "cli")).toBe("Ask someone in Platform for a review.");
  });
});
