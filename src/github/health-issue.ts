/**
 * `settings.report: weekly`: one "Agreement health" issue per repository, opened once and
 * updated at most weekly with the friction report. Costs one query per repository per
 * process start, then one write a week.
 */
import { frictionReport, parseSince, renderReport } from "../report/index.js";
import type { FrictionStore } from "../store/types.js";
import { TtlCache } from "./cache.js";
import type { GitHub, PullRequestRef } from "./client.js";

export const HEALTH_ISSUE_TITLE = "Agreement health";
const HEALTH_MARKER = "<!-- accord:health -->";
const WEEK_MS = 7 * 24 * 3_600_000;

interface IssueNode {
  number: number;
  title: string;
  updatedAt: string;
  viewerDidAuthor: boolean;
  body: string;
}

const SEARCH_QUERY = `query AccordHealthIssue($search: String!) {
  search(query: $search, type: ISSUE, first: 10) { nodes { ... on Issue { number title updatedAt viewerDidAuthor body } } }
}`;

export class HealthIssues {
  /** When each repository's issue is next due (ms). */
  private readonly due = new TtlCache<number>(10_000, 8 * 24 * 3_600_000);

  constructor(private readonly now: () => number = Date.now) {}

  async refreshIfDue(github: GitHub, ref: PullRequestRef, store: FrictionStore): Promise<"updated" | "created" | "not-due"> {
    const repo = `${ref.owner}/${ref.repo}`;
    const key = repo.toLowerCase();
    const due = this.due.get(key);
    if (due !== undefined && due > this.now()) return "not-due";
    const found = await github.graphql<{ search: { nodes: (IssueNode | Record<string, never>)[] } }>(SEARCH_QUERY, {
      search: `repo:${repo} is:issue is:open in:title "${HEALTH_ISSUE_TITLE}"`,
    });
    const issue = found.search.nodes.find((node): node is IssueNode => "number" in node && node.viewerDidAuthor && node.body.includes(HEALTH_MARKER));
    if (issue && Date.parse(issue.updatedAt) + WEEK_MS > this.now()) {
      this.due.set(key, Date.parse(issue.updatedAt) + WEEK_MS);
      return "not-due";
    }
    const window = parseSince("30d", this.now());
    if ("problem" in window) return "not-due";
    const report = await frictionReport(store, repo, window);
    const body = `${HEALTH_MARKER}\n${renderReport(report, "markdown")}\n\n<sub>Accord updates this issue weekly (\`settings.report: weekly\`). Comment \`/accord report\` on any pull request for the current figures.</sub>`;
    if (issue) {
      await github.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", { owner: ref.owner, repo: ref.repo, issue_number: issue.number, body });
    } else {
      await github.request("POST /repos/{owner}/{repo}/issues", { owner: ref.owner, repo: ref.repo, title: HEALTH_ISSUE_TITLE, body });
    }
    this.due.set(key, this.now() + WEEK_MS);
    return issue ? "updated" : "created";
  }
}
