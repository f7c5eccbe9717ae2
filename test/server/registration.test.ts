/**
 * Registration that receives webhooks (issue 10, item 1): the manifest Probot's setup page posts
 * carries a webhook URL that reaches Accord — the smee.io channel for local trials, else the
 * address the page was opened at — and Accord takes deliveries posted to that address.
 */
import { spawn } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compiledSources } from "../helpers/compiled.js";
import { freePort } from "../helpers/net.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), "accord-registration-"));
copyFileSync(join(root, "app.yml"), join(cwd, "app.yml"));
copyFileSync(join(root, "package.json"), join(cwd, "package.json"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

async function serve(env: Record<string, string>, run: (base: string) => Promise<void>): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(compiledSources(), "src", "server.js")], {
    cwd,
    env: { PATH: process.env.PATH!, HOME: cwd, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: `sqlite:${join(cwd, "accord.db")}`, LOG_LEVEL: "warn", ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 200 && !(await fetch(`${base}/ping`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
    await run(base);
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  return output;
}

/** The manifest the setup page's form posts to GitHub. */
async function manifestAt(base: string): Promise<Record<string, any>> {
  const html = await (await fetch(`${base}/probot`)).text();
  const value = /name="manifest"[^>]*value='([^']*)'/.exec(html);
  const raw = (value?.[1] ?? "").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  return JSON.parse(raw) as Record<string, any>;
}

describe("registering the app", () => {
  it("asks for the least permissions, and a webhook URL at the address the setup page was opened at", async () => {
    // Fails on the code before this change: app.yml's https://example.com/… won over every other URL.
    await serve({ NO_SMEE_SETUP: "true" }, async (base) => {
      const manifest = await manifestAt(base);
      expect(manifest.hook_attributes).toEqual({ url: `${base}/` });
      expect(manifest.redirect_url).toBe(`${base}/probot/setup`);
      expect(manifest.default_permissions).toEqual({ contents: "read", pull_requests: "write", issues: "write", checks: "write", members: "read", metadata: "read" });
      expect(manifest.default_events).toEqual(["pull_request", "pull_request_review", "issue_comment", "check_run"]);
      expect(manifest.public).toBe(false);
    });
  }, 60_000);

  it("uses the webhook proxy channel for local trials", async () => {
    // A stand-in for the smee.io channel: an event stream that stays open (the machine has no internet).
    const channel = createHttpServer((_req, res) => res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" }).write(": ready\n\n"));
    await new Promise<void>((resolve) => channel.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(channel.address() as { port: number }).port}/accord-test-channel`;
    try {
      await serve({ WEBHOOK_PROXY_URL: url, NO_SMEE_SETUP: "true" }, async (base) => {
        expect((await manifestAt(base)).hook_attributes).toEqual({ url });
      });
    } finally {
      channel.closeAllConnections();
      channel.close();
    }
  }, 60_000);

  it("takes deliveries posted to the root address, as registered", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    await serve({ APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s3" }, async (base) => {
      const body = JSON.stringify({ action: "labeled", installation: { id: 1 } });
      const post = (path: string) =>
        fetch(`${base}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": `d-${path}`, "x-hub-signature-256": `sha256=${createHmac("sha256", "s3").update(body).digest("hex")}` },
          body,
        });
      // Accord itself answers: the payload lacks what it needs, and it says so.
      const atRoot = await post("/");
      expect(atRoot.status).toBe(400);
      expect(await atRoot.text()).toMatch(/Accord cannot use this payload/);
      expect((await post("/api/github/webhooks")).status).toBe(400);
    });
  }, 60_000);
});
