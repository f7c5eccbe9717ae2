/** `npm start`: serves the app with Probot's usual variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, …). */
import { run } from "probot";
import { accordApp } from "./github/app.js";
import { AccordOctokit } from "./github/octokit.js";

await run(accordApp(), { Octokit: AccordOctokit });
