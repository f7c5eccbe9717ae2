import { describe, expect, it } from "vitest";
import { redact, redactUrl } from "../../src/util/redact.js";

describe("redact", () => {
  it("hides the password of a URL and keeps the rest readable", () => {
    expect(redactUrl("postgres://accord:s3cr3t@db.internal:5432/accord")).toBe("postgres://accord:***@db.internal:5432/accord");
    expect(redactUrl("redis://:hunter2@cache:6379")).toBe("redis://:***@cache:6379");
    expect(redactUrl("sqlite:./data/accord.db")).toBe("sqlite:./data/accord.db");
  });

  it("hides GitHub tokens, bearer headers, secrets in query strings and private keys", () => {
    const text = [
      "token ghs_16C7e42F292c6912E7710c838347Ae178B4a",
      "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig",
      "url?client_id=abc&client_secret=0123456789abcdef",
      '{"key":"-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----"}',
      "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
    ].join("\n");
    const out = redact(text);
    for (const secret of ["16C7e42F292c6912E7710c838347Ae178B4a", "eyJhbGciOiJSUzI1NiJ9", "0123456789abcdef", "MIIEow", "11ABCDEFG0123456789"]) expect(out).not.toContain(secret);
    expect(out).toContain("client_id=abc");
  });
});
