/** The app function as deployed, for `probot run ./dist/index.js`; tests build their own with `accordApp`. */
import { accordApp } from "./github/app.js";
import { createReviewerSuggester } from "./github/suggest.js";

export { accordApp } from "./github/app.js";

export function productionApp() {
  return accordApp({ suggest: createReviewerSuggester() });
}

export default productionApp();
