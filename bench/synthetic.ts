/** Generated pull requests and agreement files of a given size, for benchmarks. */
import type { AgreementFile } from "../src/agreement/schema.js";
import { agreementFileSchema } from "../src/agreement/schema.js";
import type { ChangedFile, PullRequestFacts } from "../src/engine/facts.js";

const EXTENSIONS = ["py", "ts", "yaml", "md", "ipynb", "sql", "json", "go"];

export function syntheticFiles(count: number): ChangedFile[] {
  const files: ChangedFile[] = [];
  for (let i = 0; i < count; i++) {
    const area = ["src", "pipelines", "services", "models", "docs", "infra"][i % 6]!;
    const path = `${area}/mod${i % 97}/sub${i % 13}/file${i}.${EXTENSIONS[i % EXTENSIONS.length]}`;
    files.push({ path, status: i % 17 === 0 ? "added" : "modified", additions: (i % 40) + 1, deletions: i % 7 });
  }
  return files;
}

/** `agreements` agreements with `globsEach` path globs each, of the shapes real files use. */
export function syntheticAgreementFile(agreements: number, globsEach: number): AgreementFile {
  const shapes = [
    (i: number) => `pipelines/mod${i % 97}/**`,
    (i: number) => `src/mod${i % 97}/**/*.py`,
    (i: number) => `**/*.${EXTENSIONS[i % EXTENSIONS.length]}`,
    (i: number) => `services/mod${i % 97}/sub${i % 13}/*.yaml`,
    (i: number) => `models/**/file${i}.ipynb`,
    (i: number) => `{docs,infra}/mod${i % 97}/**`,
    (i: number) => `**/sub${i % 13}/**/*.sql`,
  ];
  const list = [];
  for (let a = 0; a < agreements; a++) {
    const paths = Array.from({ length: globsEach }, (_, g) => shapes[(a + g) % shapes.length]!(a * 7 + g));
    const kind = a % 4;
    list.push({
      id: `agreement-${a}`,
      when: { paths, paths_ignore: a % 3 === 0 ? ["**/*.md"] : undefined },
      require:
        kind === 0
          ? { approvals: [{ team: "platform" }] }
          : kind === 1
            ? { forbidden: ["**/*.pkl", `data/raw${a}/**`] }
            : kind === 2
              ? { size: { max_lines: 400, ignore: ["**/*.lock"] } }
              : { description: { sections: ["What", "How"] } },
    });
  }
  return agreementFileSchema.parse({
    version: 1,
    teams: { platform: { members: ["carol", "dave"] }, "data-science": { members: ["alice"] } },
    agreements: list,
  });
}

export function syntheticFacts(files: ChangedFile[]): PullRequestFacts {
  return {
    title: "feat: a large change",
    body: "## What\nMany things.\n## How\nTests.\n",
    author: "alice",
    labels: [],
    draft: false,
    baseBranch: "main",
    files,
    reviews: [{ reviewer: "carol", state: "APPROVED" }],
    teamMembers: {},
  };
}
