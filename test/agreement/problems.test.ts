import { describe, expect, it } from "vitest";
import { formatProblem, parseAgreements, type ConfigProblem } from "../../src/agreement/parse.js";

/** The problems of a file that must be invalid. */
function problemsOf(text: string, fileName?: string): ConfigProblem[] {
  const parsed = parseAgreements(text, fileName);
  if (parsed.ok) throw new Error("expected the file to be invalid");
  expect(parsed.problems.length).toBeGreaterThan(0);
  return parsed.problems;
}

/** `LINE:COL: message` for each problem, as `accord validate` prints them (minus the file). */
const lines = (text: string) => problemsOf(text).map((p) => `${p.line}:${p.column}: ${p.message}`);

const lone = (text: string): ConfigProblem => {
  const problems = problemsOf(text);
  expect(problems, problems.map(formatProblem).join("\n")).toHaveLength(1);
  return problems[0]!;
};

const TEAMS = "teams:\n  platform: { github_team: platform }\n  data-science: { members: [alice] }\n";

/** Words that blame or interrogate; none of our messages may use them. */
const BLAME = /\b(why did you|you forgot|you failed|invalid input|wrong|illegal|error:)\b/i;

describe("formatProblem", () => {
  it("prints FILE:LINE:COL: message", () => {
    const problem = lone("version: 2\n");
    expect(formatProblem(problem)).toBe(".github/agreements.yml:1:10: `version` must be 1, the version of the agreement file this Accord understands; it is 2");
  });

  it("uses the file name it was given", () => {
    const [problem] = problemsOf("version: 2\n", "config/agreements.yaml");
    expect(formatProblem(problem!)).toMatch(/^config\/agreements\.yaml:1:10: /);
  });
});

describe("YAML that does not parse", () => {
  it("points an unclosed flow list at its `[`, not where the parser gave up", () => {
    const problem = lone("version: 1\nteams:\n  a: [x\nagreements: []\n");
    expect([problem.line, problem.column]).toEqual([3, 6]);
    expect(problem.message).toBe("This `[` list is not closed. End it with `]`; if it continues on the next lines, indent them further than its key.");
  });

  it("points an unclosed flow mapping at its `{`", () => {
    const problem = lone("version: 1\nagreements:\n  - id: a\n    require:\n      labels: {all_of: [x]\n");
    expect([problem.line, problem.column]).toEqual([5, 15]);
    expect(problem.message).toMatch(/^This `\{` mapping is not closed\. End it with `\}`/);
  });

  it("points an unclosed quote at its opening quote", () => {
    const problem = lone("version: 1\nsettings:\n  check_name: 'Team agreements\nagreements: []\n");
    expect(problem.line).toBe(3);
    expect(problem.column).toBe(15);
    expect(problem.message).toBe("This quoted text is not closed. End it with `'` on the same line.");
  });

  it("reports a missing space after a colon in plain words", () => {
    const problem = lone("version: 1\nsettings:\n  comment:always\n  skip_drafts: true\n");
    expect(problem.line).toBe(3);
    expect(problem.message).toMatch(/space after the colon/);
  });

  it("reports `key: a: b` as a nested mapping that needs its own lines or quotes", () => {
    const problem = lone("version: 1\nsettings:\n  check_name: Checks: all\n");
    expect([problem.line, problem.column]).toEqual([3, 15]);
    expect(problem.message).toMatch(/quote the value/);
  });

  it("reports each tab used for indentation on its own line, at column 1", () => {
    expect(lines("version: 1\nteams:\n\tplatform:\n\t\tgithub_team: platform\n")).toEqual([
      "3:1: A tab is used for indentation here; YAML indents with spaces only. Replace the tab with spaces.",
      "4:1: A tab is used for indentation here; YAML indents with spaces only. Replace the tab with spaces.",
    ]);
  });

  it("reports a key given twice at the second one", () => {
    const problem = lone("version: 1\nsettings:\n  comment: always\n  comment: never\n");
    expect([problem.line, problem.column]).toEqual([4, 3]);
    expect(problem.message).toBe("This key appears twice in the same mapping; keep one of them.");
  });

  it("reports YAML syntax problems alone (reading: the schema cannot be checked on a file that does not parse)", () => {
    const problems = problemsOf("version: 2\nsetings: {}\nteams:\n  a: [x\n");
    expect(problems.map((p) => p.line)).toEqual([4]);
  });

  it("keeps one problem per line when a mistake confuses the parser for the rest of the line", () => {
    const problems = problemsOf("- a\nb: 1\n");
    expect(new Set(problems.map((p) => p.line)).size).toBe(problems.length);
    expect(problems[0]!.line).toBe(2);
  });

  it("explains a second YAML document in plain words", () => {
    const problem = lone("version: 1\n---\nversion: 1\n");
    expect(problem.line).toBe(2);
    expect(problem.message).toBe("A `---` line here starts a second YAML document, and the agreement file holds one. Remove the `---` and keep everything in one mapping.");
  });

  it("reads files with Windows line endings and a byte-order mark, locating problems on the right line", () => {
    expect(parseAgreements("\uFEFFversion: 1\r\nteams: {}\r\n").ok).toBe(true);
    expect(lines("version: 1\r\nsettings:\r\n  coment: x\r\n")).toEqual(["3:3: `coment` is not a key Accord knows in `settings`. Did you mean `comment`?"]);
  });

  it("does not throw on an alias to an anchor that does not exist", () => {
    const parsed = parseAgreements("version: 1\nteams: *missing\n");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]!.message).toMatch(/alias|anchor|missing/i);
  });

  it("does not throw on an alias bomb", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    const parsed = parseAgreements(`version: 1\n${bomb.join("\n")}\n`);
    expect(parsed.ok).toBe(false);
  });
});

describe("empty files", () => {
  it("says an empty file is empty and how to start, at 1:1", () => {
    const problem = lone("");
    expect([problem.line, problem.column]).toEqual([1, 1]);
    expect(problem.message).toBe("The agreement file is empty. Start it with `version: 1`, then your `teams` and `agreements` — `accord init` writes a commented starter.");
  });

  it("treats whitespace only as empty", () => {
    expect(lone("  \n\n").message).toMatch(/^The agreement file is empty\./);
  });

  it("says a comments-only file holds only comments", () => {
    const problem = lone("# agreements between data science and platform\n# (to be written)\n");
    expect([problem.line, problem.column]).toEqual([1, 1]);
    expect(problem.message).toMatch(/^The agreement file holds only comments, no settings or agreements\. Start it with `version: 1`/);
  });

  it("says a file that is a list or a scalar must be a mapping, and how it starts", () => {
    expect(lone("- a\n- b\n").message).toBe(
      "The agreement file must be a mapping of keys to values; it is a list. It is a mapping that starts with `version: 1`, followed by `teams` and `agreements`",
    );
    expect(lone("hello\n").message).toMatch(/^The agreement file must be a mapping of keys to values; it is "hello"/);
  });
});

describe("version", () => {
  it("explains an unknown version at its value", () => {
    expect(lines("version: 2\nagreements: []\n")).toEqual(["1:10: `version` must be 1, the version of the agreement file this Accord understands; it is 2"]);
  });

  it("says how to start when version is missing", () => {
    expect(lines("teams: {}\n")).toEqual(["1:1: `version` is missing; start the file with `version: 1`"]);
  });

  it("tells a quoted \"1\" to drop the quotes", () => {
    expect(lone('version: "1"\n').message).toBe('`version` must be the number 1, without quotes; it is "1"');
  });
});

describe("wrong types, each at its value", () => {
  const text = `version: 1
teams: []
settings:
  skip_drafts: yes please
  comment: sometimes
  reviewers:
    suggest: two
agreements:
  - id: a
    severity: must
    when:
      paths: pipelines/**
    require:
      linked_issue: "yes"
`;
  const found = lines(text);

  it("names the key, what it must be and what it is", () => {
    expect(found).toEqual([
      "2:8: `teams` must be a mapping of keys to values; it is an empty list",
      '4:16: In `settings`: `skip_drafts` must be true or false; it is "yes please"',
      '5:12: In `settings`: `comment` must be one of `on_attention`, `always` or `never`; it is "sometimes"',
      '7:14: In `settings.reviewers`: `suggest` must be a whole number; it is "two"',
      '10:15: In agreement `a`: `severity` must be one of `required` or `advisory`; it is "must"',
      '12:14: In agreement `a`, `when`: `paths` must be a list; it is "pipelines/**". Write it as a list: `["pipelines/**"]`',
      '14:21: In agreement `a`, `require`: `linked_issue` must be true or false; it is "yes". Write `true`',
    ]);
  });

  it("tells a YAML 1.1 `yes`/`off` to write true/false", () => {
    expect(lone("version: 1\nsettings:\n  skip_drafts: yes\n").message).toBe('In `settings`: `skip_drafts` must be true or false; it is "yes". Write `true`');
    expect(lone("version: 1\nsettings: { reviewers: { request: off } }\n").message).toMatch(/Write `false`$/);
  });

  it("suggests the closest enum value", () => {
    expect(lone("version: 1\nsettings: { comment: alway }\n").message).toMatch(/it is "alway"\. Did you mean `always`\?$/);
    expect(lone("version: 1\nagreements:\n  - { id: a, mode: trail, require: { linked_issue: true } }\n").message).toMatch(/Did you mean `trial`\?$/);
  });

  it("shows how to write an approvals entry given as a bare team name", () => {
    const problem = lone(`version: 1\n${TEAMS}agreements:\n  - id: a\n    require:\n      approvals: [platform]\n`);
    expect(problem.message).toBe('In agreement `a`, `require`: item 1 of `approvals` must be a mapping of keys to values; it is "platform". Write each entry as `{ team: platform }`');
    expect([problem.line, problem.column]).toEqual([8, 19]);
  });

  it("shows the mapping to write for a team or an author list given as a bare list", () => {
    expect(lone("version: 1\nteams:\n  ds: [alice, bob]\n").message).toBe("In `teams`: `ds` must be a mapping of keys to values; it is a list. Write `ds: { members: [alice, bob] }`");
    expect(lone("version: 1\nagreements:\n  - { id: a, when: { authors: [alice] }, require: { linked_issue: true } }\n").message).toBe(
      "In agreement `a`, `when`: `authors` must be a mapping of keys to values; it is a list. Write `authors: { users: [alice] }`, or `teams:` for team keys",
    );
  });

  it("explains a list item that is empty text", () => {
    const problem = lone('version: 1\nteams:\n  x: { members: [""] }\n');
    expect(problem.message).toBe("In `teams.x`: item 1 of `members` must not be empty text");
  });

  it("says a team needs `github_team` or `members`", () => {
    const problem = lone("version: 1\nteams:\n  ds: { name: Data Science }\n");
    expect(problem.message).toBe("In `teams`: `ds` needs `github_team`, `members`, or both, so Accord knows who belongs to it");
    expect(problem.line).toBe(3);
  });
});

describe("numbers", () => {
  it("says `count: -1` must be a whole number of at least 1, at the -1", () => {
    const problem = lone(`version: 1\n${TEAMS}agreements:\n  - id: a\n    require:\n      approvals:\n        - team: platform\n          count: -1\n`);
    expect(problem.message).toContain("`count` must be a whole number of at least 1; it is -1");
    expect(problem.message).toBe("In agreement `a`, `require.approvals` entry 1: `count` must be a whole number of at least 1; it is -1");
    expect([problem.line, problem.column]).toEqual([10, 18]);
  });

  it("says `count: 1.5` and `count: 0` are not whole numbers of at least 1", () => {
    expect(lone(`version: 1\n${TEAMS}agreements:\n  - { id: a, require: { approvals: [{ team: platform, count: 1.5 }] } }\n`).message).toMatch(
      /`count` must be a whole number; it is 1\.5$/,
    );
    expect(lone(`version: 1\n${TEAMS}agreements:\n  - { id: a, require: { approvals: [{ team: platform, count: 0 }] } }\n`).message).toMatch(
      /`count` must be a whole number of at least 1; it is 0$/,
    );
  });

  it("checks size limits and min_length are whole numbers of at least 0", () => {
    expect(lone("version: 1\nagreements:\n  - { id: a, require: { size: { max_lines: -5 } } }\n").message).toMatch(/`max_lines` must be a whole number of at least 0; it is -5$/);
    expect(lone("version: 1\nagreements:\n  - { id: a, require: { description: { min_length: many } } }\n").message).toMatch(/`min_length` must be a whole number; it is "many"$/);
  });

  it("says a size rule needs max_lines or max_files", () => {
    expect(lone("version: 1\nagreements:\n  - { id: a, require: { size: { ignore: [x] } } }\n").message).toBe("In agreement `a`, `require`: `size` needs `max_lines`, `max_files`, or both");
  });
});

describe("max_file_size", () => {
  const at = (value: string) => lone(`version: 1\nagreements:\n  - id: a\n    require:\n      max_file_size: ${value}\n`);
  const expected = "`max_file_size` must be a size such as 500KB, 5MB or 1GB (units B, KB, MB, GB; powers of 1024), or a whole number of bytes";

  it.each([
    ["5 TB", '"5 TB"'],
    ["-1", "-1"],
    ["1.5", "1.5"],
    ["five megabytes", '"five megabytes"'],
    ["5MiB", '"5MiB"'],
    ["true", "true"],
  ])("explains %s with the units it accepts, at the value", (value, shown) => {
    const problem = at(value);
    expect(problem.message).toBe(`In agreement \`a\`, \`require\`: ${expected}; it is ${shown}`);
    expect([problem.line, problem.column]).toEqual([5, 22]);
  });
});

describe("unknown keys, with did-you-mean", () => {
  it("suggests `paths` for `pahts`, `comment` for `coment`, and the right top-level key, each at the key", () => {
    const text = `version: 1
agreement: []
settings:
  coment: always
agreements:
  - id: a
    when:
      pahts: [x]
    require: { linked_issue: true, aprovals: [] }
`;
    expect(lines(text)).toEqual([
      "2:1: `agreement` is not a key Accord knows at the top of the file. Did you mean `agreements`?",
      "4:3: `coment` is not a key Accord knows in `settings`. Did you mean `comment`?",
      "8:7: `pahts` is not a key Accord knows in `when`. Did you mean `paths`?",
      "9:36: `aprovals` is not a key Accord knows in `require`. Did you mean `approvals`?",
    ]);
  });

  it("says where a key belongs when it sits one level too high", () => {
    const problem = lone("version: 1\nagreements:\n  - id: a\n    paths: [x]\n    require: { linked_issue: true }\n");
    expect(problem.message).toBe("`paths` is not a key Accord knows in agreement 1. It belongs under `when`.");
    expect([problem.line, problem.column]).toEqual([4, 5]);
    expect(lone("version: 1\nagreements:\n  - id: a\n    forbidden: [x]\n    require: { linked_issue: true }\n").message).toMatch(/It belongs under `require`\.$/);
    expect(lone("version: 1\ncheck_name: X\n").message).toMatch(/It belongs under `settings`\.$/);
  });

  it("reports only the typo when it also leaves a mapping without what it needs", () => {
    expect(lines("version: 1\nagreements:\n  - id: a\n    require: { aprovals: [] }\n")).toEqual([
      "4:16: `aprovals` is not a key Accord knows in `require`. Did you mean `approvals`?",
    ]);
    expect(lone("version: 1\nagreements:\n  - { id: a, require: { size: { max_line: 5 } } }\n").message).toBe(
      "`max_line` is not a key Accord knows in `require.size`. Did you mean `max_lines`?",
    );
  });

  it("lists the known keys when nothing is close", () => {
    const problem = lone("version: 1\nsettings:\n  zzzzzz: 1\n");
    expect(problem.message).toBe(
      "`zzzzzz` is not a key Accord knows in `settings`. Known keys here: `check_name`, `comment`, `skip_drafts`, `amendments`, `report`, `reviewers`.",
    );
  });

  it("flags an unknown key inside a team, a reviewer setting and an approval entry", () => {
    const found = lines(`version: 1
teams:
  platform: { github_tem: platform }
settings:
  reviewers: { sugest: 1 }
agreements:
  - { id: a, require: { approvals: [{ team: platform, cuont: 2 }] } }
`);
    expect(found.map((line) => line.replace(/^\d+:\d+: /, "").replace(/ in `.*`\./, " in _."))).toEqual([
      "`github_tem` is not a key Accord knows in _. Did you mean `github_team`?",
      "`sugest` is not a key Accord knows in _. Did you mean `suggest`?",
      "`cuont` is not a key Accord knows in _. Did you mean `count`?",
    ]);
  });
});

describe("ids", () => {
  it("flags a duplicate id at the second one, naming the first by position", () => {
    const problem = lone("version: 1\nagreements:\n  - id: a\n    require: { linked_issue: true }\n  - id: a\n    require: { linked_issue: true }\n");
    expect(problem.message).toBe("In agreement 2: `id` `a` is already the id of agreement 1; give each agreement its own id");
    expect([problem.line, problem.column]).toEqual([5, 9]);
  });

  it("reserves `amend-agreements` for the implicit amendment agreement", () => {
    const problem = lone("version: 1\nagreements:\n  - id: amend-agreements\n    require: { linked_issue: true }\n");
    expect(problem.message).toBe(
      "In agreement 1: `id` `amend-agreements` is reserved for the agreement Accord adds when the agreement file itself changes; choose another id",
    );
    expect([problem.line, problem.column]).toEqual([3, 9]);
  });

  it("suggests a valid id for one with capitals or underscores", () => {
    expect(lone("version: 1\nagreements:\n  - { id: Bad_Id, require: { linked_issue: true } }\n").message).toBe(
      'In agreement 1: `id` must be lowercase letters, digits and dashes, starting with a letter or digit; it is "Bad_Id". Did you mean `bad-id`?',
    );
  });

  it("says a missing id and a missing require are missing, and what to write", () => {
    expect(lines("version: 1\nagreements:\n  - title: x\n")).toEqual([
      "3:5: In agreement 1: `id` is missing; give the agreement a short id such as `pipelines-both-teams`",
      "3:5: In agreement 1: `require` is missing; add what the agreement asks for under it, such as `approvals` or `forbidden`",
    ]);
  });
});

describe("teams that are named but never defined", () => {
  const text = `version: 1
${TEAMS}agreements:
  - id: a
    waivable_by: [plat]
    when:
      authors: { teams: [ds] }
      not_authors: { teams: [ops] }
    require:
      approvals: [{ team: platfrom }]
`;
  const found = problemsOf(text);

  it("flags approvals, waivable_by, authors and not_authors, each at the name", () => {
    expect(found.map((p) => `${p.line}:${p.column}`)).toEqual(["7:19", "9:26", "10:30", "12:27"]);
    for (const problem of found) expect(problem.message).toMatch(/which is not defined under the top-level `teams` \(defined: `platform`, `data-science`\)/);
  });

  it("suggests the defined team a typo is closest to, else says how to add it", () => {
    expect(found[0]!.message).toMatch(/names the team `plat`.*Add it under `teams`, or fix the spelling\.$/);
    expect(found[3]!.message).toBe(
      "In agreement `a`, `require.approvals` entry 1: `team` names the team `platfrom`, which is not defined under the top-level `teams` (defined: `platform`, `data-science`). Did you mean `platform`?",
    );
  });

  it("says none are defined yet when `teams` is absent", () => {
    expect(lone("version: 1\nagreements:\n  - { id: a, require: { approvals: [{ team: x }] } }\n").message).toMatch(/\(defined: none yet\)/);
  });
});

describe("title patterns", () => {
  const at = (pattern: string) => lone(`version: 1\nagreements:\n  - id: a\n    require:\n      title: { pattern: '${pattern}' }\n`);

  it("explains that RE2 has no lookahead, and why Accord uses it", () => {
    const problem = at("^(?!wip)");
    expect([problem.line, problem.column]).toEqual([5, 25]);
    expect(problem.message).toBe(
      "In agreement `a`, `require.title`: `pattern` uses a lookahead (`(?!`), which Accord's regular expressions do not support. Accord runs patterns on RE2, a linear-time engine, so no pattern can hang a check; RE2 has no lookarounds or backreferences. Rewrite the pattern without them.",
    );
  });

  it.each([
    ["(?=x)", "a lookahead"],
    ["(?<=x)y", "a lookbehind"],
    ["(a)\\1", "a backreference"],
  ])("names %s as %s", (pattern, what) => {
    expect(at(pattern).message).toContain(`uses ${what}`);
  });

  it("says what is wrong with a pattern that is simply broken", () => {
    expect(at("(feat").message).toBe(
      "In agreement `a`, `require.title`: `pattern` is not a valid regular expression (missing closing ): `(feat`). Accord uses RE2 syntax, much like JavaScript's without lookarounds or backreferences.",
    );
  });

  it("accepts the SPEC's conventional-commit pattern", () => {
    expect(parseAgreements(`version: 1\nagreements:\n  - { id: a, require: { title: { pattern: "^(feat|fix|chore|docs)(\\\\(.+\\\\))?: " } } }\n`).ok).toBe(true);
  });
});

describe("require", () => {
  it("says `require: {}` needs at least one requirement, at the `{}`", () => {
    const problem = lone("version: 1\nagreements:\n  - id: a\n    require: {}\n");
    expect(problem.message).toBe("In agreement `a`: `require` needs at least one requirement, such as `approvals` or `forbidden`");
    expect([problem.line, problem.column]).toEqual([4, 14]);
  });

  it("says an empty approvals list must list a team", () => {
    expect(lone("version: 1\nagreements:\n  - { id: a, require: { approvals: [] } }\n").message).toBe(
      "In agreement `a`, `require`: `approvals` must list at least one team; it is an empty list",
    );
  });

  it("names the only value `notebooks.outputs` and `description.checklist` accept", () => {
    expect(lone("version: 1\nagreements:\n  - { id: a, require: { notebooks: { outputs: stripped } } }\n").message).toBe(
      'In agreement `a`, `require.notebooks`: `outputs` must be `cleared`; it is "stripped"',
    );
    expect(lone("version: 1\nagreements:\n  - { id: a, require: { description: { checklist: done } } }\n").message).toBe(
      'In agreement `a`, `require.description`: `checklist` must be `complete`; it is "done"',
    );
  });
});

describe("all problems in one pass", () => {
  const text = `version: 1
${TEAMS}settings:
  coment: always
agreements:
  - id: a
    require:
      approvals: [{ team: platfrom, count: -1 }]
  - id: a
    when:
      pahts: [x]
    require: {}
  - id: amend-agreements
    require:
      title: { pattern: "(?=x)" }
      max_file_size: 5 TB
`;
  const problems = problemsOf(text);

  it("reports schema problems and cross-file problems together", () => {
    const messages = problems.map((p) => p.message).join("\n");
    for (const fragment of ["Did you mean `comment`", "Did you mean `platform`", "`count` must be", "already the id of agreement 1", "Did you mean `paths`", "is reserved", "lookahead", "`max_file_size` must be a size"]) {
      expect(messages).toContain(fragment);
    }
  });

  it("sorts them by line, then column", () => {
    const positions = problems.map((p) => [p.line, p.column] as const);
    const sorted = [...positions].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(positions).toEqual(sorted);
    expect(problems[0]!.line).toBe(6);
  });

  it("never repeats a problem", () => {
    const printed = problems.map(formatProblem);
    expect(new Set(printed).size).toBe(printed.length);
  });

  it("gives an end position at or after the start", () => {
    for (const p of problems) expect(p.endLine > p.line || (p.endLine === p.line && p.endColumn >= p.column)).toBe(true);
  });

  it("never blames", () => {
    for (const p of problems) expect(p.message).not.toMatch(BLAME);
  });
});

describe("never throws", () => {
  it.each([
    ["a bare number", "42"],
    ["null", "~"],
    ["a document separator", "---\n---\n"],
    ["agreements as a mapping", "version: 1\nagreements: { a: 1 }\n"],
    ["an agreement as text", "version: 1\nagreements: [hello]\n"],
    ["require as a list", "version: 1\nagreements: [{ id: a, require: [] }]\n"],
    ["when as text", "version: 1\nagreements: [{ id: a, when: always, require: { linked_issue: true } }]\n"],
    ["teams with a null team", "version: 1\nteams:\n  a:\n"],
    ["binary noise", "\u0000\u0001\u0002"],
    ["an enormous number", `version: ${"9".repeat(400)}\n`],
  ])("on %s", (_, text) => {
    const parsed = parseAgreements(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) for (const p of parsed.problems) expect(p.line).toBeGreaterThanOrEqual(1);
  });
});
