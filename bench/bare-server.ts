/**
 * The reference for the intake bench: a bare Probot app, served like Accord (Probot's `run`,
 * throttling on, per-installation clients), making the reads and writes Accord makes for a pull
 * request that meets its agreements — one GraphQL read, one check run — inline in the handler.
 */
import { run, type Probot } from "probot";
import { pullRequestQuery } from "../src/github/queries.js";

function bareApp(app: Probot): void {
  app.on("pull_request", async (context) => {
    const payload = context.payload as unknown as { installation: { id: number }; repository: { name: string; owner: { login: string } }; pull_request: { number: number; head: { sha: string } } };
    const github = await app.auth(payload.installation.id);
    const coordinates = { owner: payload.repository.owner.login, repo: payload.repository.name };
    await github.graphql(pullRequestQuery([]), { ...coordinates, name: coordinates.repo, number: payload.pull_request.number, appId: 123 });
    await github.request("POST /repos/{owner}/{repo}/check-runs", { ...coordinates, name: "Team agreements", head_sha: payload.pull_request.head.sha, status: "completed", conclusion: "success", output: { title: "t", summary: "s" } });
  });
}

await run(bareApp);
