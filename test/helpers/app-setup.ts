/** The usual set-up of an app test: no real network, a fake GitHub with an agreement file and one PR. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { openStore, type SqlStore } from "../../src/store/index.js";
import { afterEach, beforeEach } from "vitest";
import { FakeGitHub, type FakeFile } from "./fake-github.js";

export function useFakeGitHub(agreements: string, files: FakeFile[] = []): () => FakeGitHub {
  let fake: FakeGitHub;
  beforeEach(() => {
    nock.disableNetConnect();
    fake = new FakeGitHub();
    fake.setAgreement(agreements);
    fake.setFiles(files);
    fake.install();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  return () => fake;
}

/** A fresh SQLite friction record in a temporary directory for each test, closed and removed after it. */
export function useTempStore(): () => SqlStore {
  let store: SqlStore;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "accord-store-"));
    store = await openStore(`sqlite:${join(dir, "accord.db")}`);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => store;
}
