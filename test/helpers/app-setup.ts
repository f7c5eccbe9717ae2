/** The usual set-up of an app test: no real network, a fake GitHub with an agreement file and one PR. */
import nock from "nock";
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
