/** The app function as deployed, for `probot run ./dist/index.js`; tests build their own with `accordApp`. */
import { accordApp } from "./github/app.js";
import { createReviewerSuggester } from "./github/suggest.js";
import { openStore, type FrictionStore } from "./store/index.js";

export { accordApp } from "./github/app.js";

/** DATABASE_URL names the friction record; unset, a SQLite file under ./data is created on first start. */
export function productionApp(store?: FrictionStore) {
  return accordApp({ suggest: createReviewerSuggester(), store: store ?? (() => openStore(process.env.DATABASE_URL)) });
}

export default productionApp();
