/** `npm start`: serves the app with Probot's usual variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, …). */
import { run } from "probot";
import { AccordOctokit } from "./github/octokit.js";
import { productionApp } from "./index.js";

await run(productionApp(), { Octokit: AccordOctokit });
