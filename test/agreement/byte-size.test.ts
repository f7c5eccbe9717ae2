import { describe, expect, it } from "vitest";
import { BYTE_SIZE_PATTERN, formatByteSize, parseByteSize } from "../../src/agreement/byte-size.js";

describe("parseByteSize", () => {
  it.each([
    ["0B", 0],
    ["96B", 96],
    ["1KB", 1024],
    ["500KB", 500 * 1024],
    ["5MB", 5 * 1024 * 1024],
    ["1GB", 1024 ** 3],
    ["1.5GB", 1.5 * 1024 ** 3],
    ["0.5KB", 512],
    ["5 MB", 5 * 1024 * 1024],
    [" 5MB ", 5 * 1024 * 1024],
    ["5mb", 5 * 1024 * 1024],
    ["5Mb", 5 * 1024 * 1024],
    ["1.1KB", 1126],
  ])("reads %j as %d bytes (powers of 1024)", (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it("reads a plain whole number as bytes", () => {
    expect(parseByteSize(0)).toBe(0);
    expect(parseByteSize(1024)).toBe(1024);
  });

  it.each(["", "5", "MB", "5 TB", "5MiB", "5 M", "-1MB", "1,5MB", "5MB extra", "five MB", "1e3KB", ".5MB"])("rejects %j", (text) => {
    expect(parseByteSize(text)).toBeUndefined();
  });

  it("rejects negative, fractional and unsafe numbers", () => {
    expect(parseByteSize(-1)).toBeUndefined();
    expect(parseByteSize(1.5)).toBeUndefined();
    expect(parseByteSize(Number.MAX_SAFE_INTEGER + 2)).toBeUndefined();
    expect(parseByteSize(Number.NaN)).toBeUndefined();
  });

  it("uses a pattern without flags, so the JSON Schema can carry it unchanged", () => {
    expect(BYTE_SIZE_PATTERN.flags).toBe("");
    expect(BYTE_SIZE_PATTERN.test("5mb")).toBe(true);
    expect(BYTE_SIZE_PATTERN.test("5tb")).toBe(false);
  });
});

describe("formatByteSize", () => {
  it.each([
    [0, "0 B"],
    [96, "96 B"],
    [1023, "1023 B"],
    [1024, "1 KB"],
    [1536, "1.5 KB"],
    [812 * 1024, "812 KB"],
    [5 * 1024 * 1024, "5 MB"],
    [1024 ** 3, "1 GB"],
    [2.5 * 1024 ** 3, "2.5 GB"],
    [3 * 1024 ** 4, "3072 GB"],
  ])("writes %d bytes as %s", (bytes, text) => {
    expect(formatByteSize(bytes)).toBe(text);
  });

  it("never writes 1024 of a unit, nor a trailing .0", () => {
    expect(formatByteSize(1024 * 1024 - 1)).toBe("1 MB");
    expect(formatByteSize(1024 ** 3 - 1)).toBe("1 GB");
    expect(formatByteSize(5 * 1024 * 1024 + 1)).toBe("5 MB");
    expect(formatByteSize(1024 + 20)).toBe("1 KB");
  });

  it("round-trips what it writes", () => {
    for (const bytes of [1024, 1536, 5 * 1024 * 1024, 1024 ** 3]) expect(parseByteSize(formatByteSize(bytes))).toBe(bytes);
  });
});
