/** The app function as deployed, for `probot run ./dist/index.js`; tests build their own with `accordApp`. */
import { accordApp } from "./github/app.js";
import { createReviewerSuggester } from "./github/suggest.js";
import { openStore } from "./store/index.js";

export { accordApp } from "./github/app.js";

export function productionApp() {
  // DATABASE_URL names the friction record; unset, a SQLite file under ./data is created on first start.
  return accordApp({ suggest: createReviewerSuggester(), store: () => openStore(process.env.DATABASE_URL) });
}

export default productionApp();
