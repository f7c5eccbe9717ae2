/** The fake GitHub of test/fakes, installed behind nock for tests. */
import nock from "nock";
import { FakeGitHub as FakeGitHubState } from "../fakes/fake-github.js";

export * from "../fakes/fake-github.js";

export class FakeGitHub extends FakeGitHubState {
  /** Routes every request to the fake's `handle`, so unknown calls fail loudly as 404s. */
  install(): nock.Scope {
    const fake = this;
    const scope = nock(this.baseUrl).persist();
    for (const method of ["get", "post", "patch", "put", "delete"] as const) {
      scope[method](/.*/).reply(function (uri, body) {
        const headers = (this as unknown as { req: { headers: Record<string, string> } }).req.headers;
        return fake.handle(method.toUpperCase(), uri, headers, typeof body === "string" && body !== "" ? JSON.parse(body) : body);
      });
    }
    return scope;
  }
}
