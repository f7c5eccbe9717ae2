/** The app function, for `probot run ./dist/index.js` and for tests. */
import { accordApp } from "./github/app.js";

export { accordApp } from "./github/app.js";
export default accordApp();
