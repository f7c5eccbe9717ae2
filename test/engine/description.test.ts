import { describe, expect, it } from "vitest";
import { sectionsOf, stripHtmlComments, uncheckedItems } from "../../src/engine/markdown.js";
import { BLAME, check } from "./helpers.js";

const SECTIONS = "      description: { sections: [What, How] }\n";
const describeBody = (body: string, rule = SECTIONS) => check("description", rule, { body });

describe("description: sections", () => {
  it("passes with a heading per section and text under each", () => {
    const result = describeBody("## What\nAdds a retry.\n\n## How\nWith backoff.\n");
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe('The description has "What" and "How" sections.');
  });

  it.each([
    ["# What\nx\n# How\ny", "level 1"],
    ["###### What\nx\n###### How\ny", "level 6"],
    ["What\n====\nx\n\nHow\n---\ny", "setext"],
    ["## What ##\nx\n## How #\ny", "closed ATX"],
    ["   ## What\nx\n## How\ny", "indented up to three spaces"],
  ])("accepts headings of any level (%s)", (body) => {
    expect(describeBody(body).outcome).toBe("pass");
  });

  it("matches headings case-insensitively and trimmed", () => {
    expect(describeBody("## what   \nx\n##   HOW\ny").outcome).toBe("pass");
    expect(describeBody("## What\nx\n## How\ny", "      description: { sections: ['  what ', HOW] }\n").outcome).toBe("pass");
  });

  it("fails when a section is missing, naming it and showing the heading to add", () => {
    const result = describeBody("## What\nAdds a retry.\n");
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe('The description has no "How" section.');
    expect(result.howTo).toBe("Edit the PR description: add `## How` (or a bold line `**How:**`) with a line or two under it.");
    expect(describeBody("").howTo).toBe("Edit the PR description: add `## What` and `## How` (or bold lines such as `**What:**`) with a line or two under each.");
  });

  it("fails when a section has nothing under it", () => {
    const result = describeBody("## What\n\n## How\nWith backoff.\n");
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe('The description has nothing under "What".');
    expect(result.howTo).toBe('Edit the PR description: write a sentence or two under "What".');
  });

  it("treats a section holding only a template's HTML comment as empty", () => {
    expect(describeBody("## What\n<!-- Describe the change -->\n## How\n<!--\nmulti-line\nhint\n-->\n").outcome).toBe("fail");
    expect(describeBody("## What\n<!-- Describe the change -->\nAdds a retry.\n## How\nBackoff.\n").outcome).toBe("pass");
  });

  it("counts text in a sub-section as text under the section (reading: a section runs to the next heading of the same or higher level)", () => {
    expect(describeBody("## What\n### Details\nAdds a retry.\n## How\nBackoff.\n").outcome).toBe("pass");
  });

  it("is met when a section given twice has text under either (a template pasted below the text)", () => {
    expect(describeBody("## What\nAdds a retry.\n## How\nBackoff.\n\n## What\n\n## How\n").outcome).toBe("pass");
    expect(describeBody("## What\n\n## What\n\n## How\nBackoff.\n").message).toBe('The description has nothing under "What".');
  });

  it("does not count a sub-heading alone as text", () => {
    expect(describeBody("## What\n### Details\n## How\nBackoff.\n").outcome).toBe("fail");
  });

  it("ignores headings inside code fences", () => {
    expect(describeBody("## What\n```\n## How\n```\n").outcome).toBe("fail");
    expect(describeBody("~~~md\n## What\nx\n~~~\n## How\ny\n").message).toBe('The description has no "What" section.');
  });

  it("ignores headings inside HTML comments", () => {
    expect(describeBody("<!--\n## What\n-->\n## How\ny\n").message).toBe('The description has no "What" section.');
  });

  it("does not read `#123` or `#hashtag` as headings", () => {
    expect(sectionsOf("#123 fixed\n#hashtag").map((s) => s.heading)).toEqual([]);
  });

  it("keeps a trailing `#` that is part of the heading (`## C#`)", () => {
    expect(sectionsOf("## C#\nnotes").map((s) => s.heading)).toEqual(["C#"]);
    expect(describeBody("## C#\nx", "      description: { sections: ['C#'] }\n").outcome).toBe("pass");
  });

  it("reads Windows line endings", () => {
    expect(describeBody("## What\r\nAdds a retry.\r\n## How\r\nBackoff.\r\n").outcome).toBe("pass");
  });

  it("names every gap at once", () => {
    const result = describeBody("## What\n", "      description: { sections: [What, How], min_length: 50, checklist: complete }\n");
    expect(result.message).toBe('The description has no "How" section; it has nothing under "What"; it is 7 characters long, shorter than the agreed 50.');
  });

  it("fails an empty body for every section", () => {
    expect(describeBody("").message).toBe('The description has no "What" and "How" sections.');
  });
});

describe("description: bold lines as headings, trailing colons", () => {
  it("counts a line that is only bold text as a heading (`**Description of your changes:**`)", () => {
    const rule = "      description: { sections: [Description of your changes] }\n";
    expect(describeBody("**Description of your changes:**\nAdds a retry to the loader.\n", rule).outcome).toBe("pass");
    expect(sectionsOf("**Description of your changes:**\nAdds a retry.")).toEqual([{ heading: "Description of your changes:", level: 7, text: "Adds a retry." }]);
  });

  it.each([
    ["**What:**\nAdds a retry.\n**How:**\nWith backoff.", "colon inside the bold"],
    ["**What**:\nAdds a retry.\n**How**:\nWith backoff.", "colon outside the bold"],
    ["**What**\nAdds a retry.\n\n**How**\nWith backoff.", "no colon"],
    ["__What__\nAdds a retry.\n__How:__\nWith backoff.", "underscores"],
    ["  **What:**  \nAdds a retry.\n***How***\nWith backoff.", "indented, trailing spaces, bold italic"],
    ["## What:\nAdds a retry.\n## **How**\nWith backoff.", "`#` headings with a colon, or all bold"],
  ])("accepts bold-line headings (%s)", (body) => {
    const result = describeBody(body);
    expect(result.outcome).toBe("pass");
    expect(result.message).toBe('The description has "What" and "How" sections.');
  });

  it("ignores a trailing colon in `sections` too", () => {
    expect(describeBody("## What\nx\n## How\ny", "      description: { sections: ['What:', How] }\n").outcome).toBe("pass");
  });

  it("does not count a bold phrase inside a sentence, or a line with more than bold text, as a heading", () => {
    expect(sectionsOf("This is **What** we changed.\n**How** we did it: carefully.\n**What** and **How**\nx").map((s) => s.heading)).toEqual([]);
    expect(describeBody("This is **What** we changed.\n**How** we did it: carefully.\n").message).toBe('The description has no "What" and "How" sections.');
  });

  it("does not read rows of `*` or `_`, spaced markers, or indented code as headings", () => {
    expect(sectionsOf("*****\nx\n_____\ny\n** What **\nz\n    **What**\nw").map((s) => s.heading)).toEqual([]);
  });

  it("fails an empty section under a bold heading", () => {
    const result = describeBody("**What:**\n\n**How:**\nWith backoff.\n");
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe('The description has nothing under "What".');
  });

  it("ends a bold heading's section at the next heading of any kind, and keeps it inside a `#` section", () => {
    expect(describeBody("**What:**\n### How\nWith backoff.\n").message).toBe('The description has nothing under "What".');
    expect(describeBody("## What\n**Details:**\nAdds a retry.\n## How\nBackoff.\n").outcome).toBe("pass");
    expect(describeBody("## What\n**Details:**\n## How\nBackoff.\n").message).toBe('The description has nothing under "What".');
  });

  it("ignores bold lines in code fences and HTML comments", () => {
    expect(describeBody("```\n**What:**\nx\n```\n<!--\n**How:**\ny\n-->\n").message).toBe('The description has no "What" and "How" sections.');
  });

  it.each([
    ["100,000 `*`", "*".repeat(100_000)],
    ["`**` repeated on one line", "**".repeat(50_000)],
    ["`**a` repeated", `${"**a".repeat(33_000)}**`],
    ["bold markers around a long run of spaces", `**${" ".repeat(100_000)}**`],
    ["`__` repeated with a colon", `${"__".repeat(50_000)}:`],
    ["thousands of bold lines", "**What:**\n".repeat(10_000)],
    ["thousands of bold lines under one heading", `# top\n${"**x**\ntext\n".repeat(10_000)}`],
  ])("finishes quickly on a hostile body: %s", (_, body) => {
    const started = performance.now();
    const result = describeBody(body, "      description: { sections: [What, How], min_length: 10, checklist: complete }\n");
    expect(result.outcome).toBe("fail");
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("description: min_length", () => {
  const rule = "      description: { min_length: 20 }\n";

  it("counts the whole body without HTML comments, trimmed", () => {
    expect(describeBody("Short.", rule).outcome).toBe("fail");
    expect(describeBody("<!-- a very long template comment that should not count -->Short.", rule).outcome).toBe("fail");
    expect(describeBody("This body is long enough.", rule).outcome).toBe("pass");
    expect(describeBody(`   ${"x".repeat(19)}   `, rule).outcome).toBe("fail");
    expect(describeBody("x".repeat(20), rule).outcome).toBe("pass");
  });

  it("says how long it is and what was agreed", () => {
    expect(describeBody("Short.", rule).message).toBe("The description is 6 characters long, shorter than the agreed 20.");
  });

  it("passes anything with the default of 0", () => {
    expect(describeBody("", "      description: {}\n").outcome).toBe("pass");
  });
});

describe("description: checklist: complete", () => {
  const rule = "      description: { checklist: complete }\n";

  it("fails on an unticked item and quotes the first", () => {
    const result = describeBody("- [x] Tests\n- [ ] Docs updated\n- [ ] Changelog\n", rule);
    expect(result.outcome).toBe("fail");
    expect(result.message).toBe('The description has 2 unticked checklist items (first: "Docs updated").');
    expect(result.howTo).toMatch(/tick each checklist item once it is done \(or remove the ones that do not apply\)/);
  });

  it("passes when every item is ticked, in either case", () => {
    expect(describeBody("- [x] Tests\n- [X] Docs\n", rule).outcome).toBe("pass");
  });

  it("sees `*`, `+` and numbered items, and indented ones", () => {
    for (const body of ["* [ ] a", "+ [ ] a", "1. [ ] a", "2) [ ] a", "  - [ ] nested"]) expect(describeBody(body, rule).outcome, body).toBe("fail");
  });

  it("ignores unticked items in code fences and HTML comments", () => {
    expect(describeBody("```\n- [ ] example\n```\n<!-- - [ ] hint -->\n- [x] done\n", rule).outcome).toBe("pass");
  });

  it("does not check the checklist without `checklist: complete`", () => {
    expect(describeBody("- [ ] open", "      description: {}\n").outcome).toBe("pass");
  });

  it("never blames", () => {
    const result = describeBody("- [ ] x", "      description: { sections: [What], min_length: 100, checklist: complete }\n");
    expect(`${result.message} ${result.howTo}`).not.toMatch(BLAME);
  });
});

describe("description on hostile bodies (anyone can write a PR body; 65,536 characters at most)", () => {
  const n = 65_000;
  it.each([
    ["spaces and tabs after a heading mark", `## a${" \t".repeat(n / 2)}x`],
    ["a heading of hashes", `# x ${"#".repeat(n)}`],
    ["thousands of headings", "#\n".repeat(n / 2)],
    ["one heading over thousands of sub-headings", `# top\n${"## sub\ntext\n".repeat(n / 12)}`],
    ["a long setext underline", `Title\n${"-".repeat(n)}x`],
    ["unclosed comments", "<!--".repeat(n / 4)],
    ["fences", "```\n".repeat(n / 4)],
    ["checklist-like spaces", `-${" ".repeat(n)}[ ]`],
    ["issue-like runs", ` ${"a-".repeat(n / 2)}/b#`],
  ])("finishes fast with %s", (_, body) => {
    const started = performance.now();
    const result = describeBody(body, "      description: { sections: [What, How], min_length: 10, checklist: complete }\n");
    check("linked_issue", "      linked_issue: true\n", { body });
    expect(["pass", "fail"]).toContain(result.outcome);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("markdown helpers", () => {
  it("stripHtmlComments removes closed and unclosed comments", () => {
    expect(stripHtmlComments("a<!-- b -->c<!-- d")).toBe("ac");
  });

  it("uncheckedItems lists unticked items' text", () => {
    expect(uncheckedItems("- [ ] one\n- [x] two\n- [ ]   three  ")).toEqual(["one", "three"]);
  });

  it("sectionsOf gives level and text", () => {
    expect(sectionsOf("# A\ntext a\n## B\ntext b\n# C\n")).toEqual([
      { heading: "A", level: 1, text: "text a\ntext b" },
      { heading: "B", level: 2, text: "text b" },
      { heading: "C", level: 1, text: "" },
    ]);
  });
});
