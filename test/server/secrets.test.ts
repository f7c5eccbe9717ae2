/**
 * No secret in any log or message (issue 8, item 10): the real server, started with a password in
 * DATABASE_URL, a private key and a webhook secret, handling a delivery whose GitHub calls fail;
 * everything it prints is searched for each secret.
 */
import { generateKeyPairSync, createHmac } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { compiledSources } from "../helpers/compiled.js";
import { POSTGRES_URL } from "../store/helpers.js";
import { freePort } from "../helpers/net.js";

const PASSWORD = "Sup3rS3cretPassw0rd";
const WEBHOOK_SECRET = "webhook-secret-never-printed";
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const KEY_BODY = privateKey.split("\n")[1]!;
const cwd = mkdtempSync(join(tmpdir(), "accord-secrets-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const server = join(compiledSources(), "src", "server.js");
  const child = spawn(process.execPath, [server], { cwd, env: { PATH: process.env.PATH!, HOME: cwd, ...env } });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

const secretsIn = (text: string) => [PASSWORD, WEBHOOK_SECRET, KEY_BODY].filter((secret) => text.includes(secret));

describe("the server prints no secret", () => {
  it("when the database cannot be opened: a plain message, the password replaced", async () => {
    // Fails on the code before this change: the message quoted DATABASE_URL with its password.
    const { exited, output } = start({ DATABASE_URL: `postgres://accord:${PASSWORD}@127.0.0.1:1/accord` });
    expect(await exited).toBe(1);
    expect(output()).toMatch(/accord: cannot open the friction record \(postgres:\/\/accord:\*\*\*@127\.0\.0\.1:1\/accord\)/);
    expect(secretsIn(output())).toEqual([]);
  }, 30_000);

  it("while serving, logging at trace level, and failing to reach GitHub", async () => {
    const port = await freePort();
    // GitHub refusing the app's credentials, as it does a key it does not know.
    const refusing = createHttpServer((_req, res) => res.writeHead(401, { "content-type": "application/json" }).end('{"message":"Bad credentials"}'));
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const github = (refusing.address() as { port: number }).port;
    const databaseUrl = POSTGRES_URL ? POSTGRES_URL.replace("postgres://postgres@", `postgres://postgres:${PASSWORD}@`) : `sqlite:${join(cwd, "accord.db")}`;
    const { child, exited, output } = start({
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "trace",
      DATABASE_URL: databaseUrl,
      GHE_HOST: `127.0.0.1:${github}`,
      GHE_PROTOCOL: "http",
    });
    try {
      for (let i = 0; i < 200; i++) {
        const ready = await fetch(`http://127.0.0.1:${port}/ping`).then((r) => r.ok, () => false);
        if (ready) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const require = createRequire(import.meta.url);
      const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, any>[] }[];
      const payload = structuredClone(examples.find((e) => e.name === "pull_request")!.examples.find((e) => e.action === "opened")!);
      payload.installation = { id: 4242 };
      const body = JSON.stringify(payload);
      await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "pull_request",
          "x-github-delivery": `secrets-${process.pid}-${Date.now()}`,
          "x-hub-signature-256": `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`,
        },
        body,
      });
      for (let i = 0; i < 300 && !/evaluation failed/.test(output()); i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      child.kill("SIGTERM");
      await exited;
      refusing.close();
    }
    expect(output()).toMatch(/evaluation failed/);
    expect(output()).toMatch(/Bad credentials/);
    expect(secretsIn(output())).toEqual([]);
  }, 60_000);
});
