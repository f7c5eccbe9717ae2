/**
 * The dashboard in a real browser (issue 11): headless Chromium, driven by playwright-core,
 * against the real server (compiled sources) with a SQLite record filled from a generated
 * history, signing in through the loopback GitHub's OAuth endpoints. Navigation between the
 * three views, a CSV download, the 403 and 404 cases, an expired token, an unreadable window,
 * an accessibility check with axe-core, and screenshots of each view saved under docs/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOAuth, startStub } from "../../bench/github-stub.js";
import { generateHistory } from "../../bench/store.js";
import { openStore } from "../../src/store/index.js";
import { compiledSources } from "../helpers/compiled.js";
import { freePort } from "../helpers/net.js";

const CHROMIUM = process.env.ACCORD_TEST_CHROMIUM ?? "/usr/bin/chromium";
const root = fileURLToPath(new URL("../..", import.meta.url));
const shots = join(root, "docs", "screenshots");
const require = createRequire(import.meta.url);

describe.skipIf(!existsSync(CHROMIUM))(existsSync(CHROMIUM) ? "the dashboard in Chromium" : `browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does)`, () => {
  const dir = mkdtempSync(join(tmpdir(), "accord-dashboard-"));
  const oauth = new FakeOAuth("Iv1.accordtest", "client-secret-for-tests");
  let stub: Awaited<ReturnType<typeof startStub>>;
  let server: ChildProcess;
  let base = "";
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const store = await openStore(`sqlite:${join(dir, "accord.db")}`);
    await store.importHistory((loader) => generateHistory(loader, Date.now(), 30_000, ["acme/ml", "acme/web", "acme/secret", "other/tools"]));
    await store.close();
    oauth.readable.set("alice", ["acme/ml", "acme/web", "other/tools"]);
    stub = await startStub([], 0, undefined, oauth);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    server = spawn(process.execPath, [join(compiledSources(), "src", "server.js")], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        PATH: process.env.PATH!,
        APP_ID: "1",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: "s",
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "error",
        DATABASE_URL: `sqlite:${join(dir, "accord.db")}`,
        GHE_HOST: new URL(stub.url).host,
        GHE_PROTOCOL: "http",
        GITHUB_CLIENT_ID: oauth.clientId,
        GITHUB_CLIENT_SECRET: oauth.clientSecret,
        ACCORD_DASHBOARD_ACCESS_TTL_MS: "1",
        ACCORD_RECOVERY_FIRST_SCAN_MS: "3600000",
      },
    });
    for (let i = 0; i < 200 && !(await fetch(`${base}/ping`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })).newPage();
    mkdirSync(shots, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
    if (server && server.exitCode === null) await new Promise((resolve) => server.once("exit", resolve));
    await stub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Serious or critical accessibility problems axe-core finds on the page. */
  async function accessibilityProblems(): Promise<string[]> {
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const result = (await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run())) as {
      violations: { id: string; impact: string; nodes: unknown[] }[];
    };
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length})`);
  }

  it("shows nothing without signing in, and signs in through GitHub with a state that must match", async () => {
    const anonymous = await fetch(`${base}/dashboard/acme`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/dashboard/login?next=%2Fdashboard%2Facme");
    const forged = await fetch(`${base}/dashboard/callback?code=code1&state=made-up`, { redirect: "manual" });
    expect(forged.status).toBe(403);

    await page.goto(`${base}/dashboard`);
    // Signed in, and with one owner... two here: acme and other.
    expect(new URL(page.url()).pathname).toBe("/dashboard");
    await expect(page.locator("h1").textContent()).resolves.toBe("Agreement health");
    const session = (await page.context().cookies()).find((c) => c.name === "accord_session")!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe("Lax");
  }, 60_000);

  it("moves between the organisation, repository and agreement views, and every view is accessible", async () => {
    await page.click("text=acme");
    await page.waitForURL(/\/dashboard\/acme\?since=30d$/);
    await expect(page.locator("h1").textContent()).resolves.toBe("Agreement health for acme");
    const repositories = await page.locator("table:has(caption:text('Repositories')) tbody tr td:first-child").allTextContents();
    expect(repositories.sort()).toEqual(["acme/ml", "acme/web"]);
    expect(await page.locator(".chart svg[role=img][aria-label]").count()).toBe(2);
    expect(await accessibilityProblems()).toEqual([]);
    await page.screenshot({ path: join(shots, "organisation.png"), fullPage: true });

    await page.click("table:has(caption:text('Repositories')) a:text('acme/ml')");
    await page.waitForURL(/\/dashboard\/acme\/ml/);
    await expect(page.locator("h1").textContent()).resolves.toBe("acme/ml");
    // Three charts (trend, team waits, paths), each one labelled image; legends hold small swatches of their own.
    expect(await page.locator(".chart svg[role=img][aria-label]").count()).toBe(3);
    expect(await accessibilityProblems()).toEqual([]);
    await page.screenshot({ path: join(shots, "repository.png"), fullPage: true });

    await page.click("a:text('pipelines-both-teams')");
    await page.waitForURL(/\/agreements\/pipelines-both-teams/);
    await expect(page.locator("h1").textContent()).resolves.toMatch(/^Pipeline changes are reviewed by both teams/);
    expect(await page.locator("table:has(caption:text('The pull requests it held longest')) tbody tr").count()).toBeGreaterThan(0);
    expect(await page.locator("table:has(caption:text('The pull requests it held longest')) tbody a").first().getAttribute("href")).toMatch(new RegExp(`^http://${new URL(stub.url).host}/acme/ml/pull/\\d+$`));
    expect(await accessibilityProblems()).toEqual([]);
    await page.screenshot({ path: join(shots, "agreement.png"), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/dashboard/acme/ml?since=90d`);
    expect(await accessibilityProblems()).toEqual([]);
    await page.screenshot({ path: join(shots, "repository-phone.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);

  it("downloads a table as CSV", async () => {
    await page.goto(`${base}/dashboard/acme/ml?since=90d`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("table:has(caption:text('Agreements')) >> xpath=.. >> a:text('Download as CSV')")]);
    expect(download.suggestedFilename()).toBe("acme-ml-agreements-90d.csv");
    const text = readFileSync((await download.path())!, "utf8");
    const [head, first] = text.split("\r\n");
    expect(head).toBe("Agreement,Title,Kind,Pull requests,Not met,Share not met,Waived,Median to met,Trend");
    expect(first).toMatch(/^[a-z-]+,/);
  }, 60_000);

  it("answers a plain 403 for a repository the person cannot read and for a tampered cookie, 404 for what is not there", async () => {
    const secret = await page.goto(`${base}/dashboard/acme/secret`);
    expect(secret!.status()).toBe(403);
    await expect(page.locator("h1").textContent()).resolves.toBe("Not yours to see");
    expect(await page.locator("a:text('Back to acme')").count()).toBe(1);

    const unknown = await page.goto(`${base}/dashboard/nobody`);
    expect(unknown!.status()).toBe(404);
    expect(await page.locator("a:text('Back to Dashboard')").count()).toBe(1);
    expect((await page.goto(`${base}/dashboard/acme/ml/agreements/no-such-agreement`))!.status()).toBe(404);

    const context = page.context();
    const session = (await context.cookies()).find((c) => c.name === "accord_session")!;
    const tampered = `${session.value.slice(0, -4)}${session.value.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    await context.addCookies([{ ...session, value: tampered }]);
    const refused = await page.goto(`${base}/dashboard/acme`);
    expect(refused!.status()).toBe(403);
    await expect(page.locator("h1").textContent()).resolves.toBe("Your sign-in could not be verified");
    // Signing in again brings the person back.
    await page.goto(`${base}/dashboard/login?next=/dashboard/acme`);
    expect(new URL(page.url()).pathname).toBe("/dashboard/acme");
  }, 60_000);

  it("reads an unreadable window as the default with a note, and signs in again without losing the page when the token expired", async () => {
    await page.goto(`${base}/dashboard/acme/web?since=soon`);
    await expect(page.locator(".note").textContent()).resolves.toMatch(/The window soon could not be read .*so this shows the last 30 days\./);
    oauth.expire("alice");
    await page.goto(`${base}/dashboard/acme/web?since=90d`);
    // GitHub refused the old token: the dashboard signed in again and came back to the same page.
    expect(`${new URL(page.url()).pathname}${new URL(page.url()).search}`).toBe("/dashboard/acme/web?since=90d");
    await expect(page.locator("h1").textContent()).resolves.toBe("acme/web");
  }, 60_000);
});
