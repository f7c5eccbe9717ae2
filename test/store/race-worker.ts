/**
 * One "app instance" for the two-process race test (compiled by race.test.ts, run with plain node):
 * claims delivery ids, and for each one it wins, records an evaluation under the PR lock while doing
 * a deliberately non-atomic read-modify-write that only the lock keeps exact.
 * argv: URL SCHEMA ORDER(json array of delivery ids). Prints one JSON line.
 */
import pg from "pg";
import { openStore } from "../../src/store/index.js";
import { changed, evaluated, facts } from "./helpers.js";

export const RACE_REPO = "acme/race";
export const prOf = (id: string) => Number(id.split("-")[1]) % 5;

const [url, schema, orderJson] = process.argv.slice(2);
const order = JSON.parse(orderJson!) as string[];
const store = await openStore(url, { schema: schema! });
const raw = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
await raw.connect();

const claimed: string[] = [];
let recordedUnclaimed = 0;
const f = facts({ files: [changed("pipelines/run.py")] });
const evaluation = evaluated(f);
await Promise.all(
  // A few deliveries in flight at once, as an instance would handle them.
  [0, 1, 2, 3].map(async (lane) => {
    for (let i = lane; i < order.length; i += 4) {
      const id = order[i]!;
      const number = prOf(id);
      const event = { repo: RACE_REPO, number, headSha: "9".repeat(40), deliveryId: id, evaluation, facts: f };
      if (await store.claimDelivery(id)) {
        claimed.push(id);
        await store.withPullRequestLock(RACE_REPO, number, async () => {
          const before = await raw.query<{ n: number }>("SELECT n FROM race_counter WHERE pr = $1", [number]);
          await store.recordEvaluation(event);
          await new Promise((resolve) => setTimeout(resolve, 1));
          await raw.query("UPDATE race_counter SET n = $1 WHERE pr = $2", [before.rows[0]!.n + 1, number]);
        });
      } else if (await store.recordEvaluation(event)) {
        // The other instance claimed it but had not recorded it yet: its own attempt will be refused.
        recordedUnclaimed += 1;
      }
    }
  }),
);
await raw.end();
await store.close();
process.stdout.write(`${JSON.stringify({ claimed, recordedUnclaimed })}\n`);
