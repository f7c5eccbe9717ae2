/**
 * The dashboard's cookies: sealed with AES-256-GCM under a key derived from the server's
 * secret, so a person can neither read nor alter them (a changed byte fails the tag). They are
 * HttpOnly and SameSite=Lax, Secure behind HTTPS.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export class Sealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash("sha256").update(`accord-dashboard\0${secret}`).digest();
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  /** The value, or undefined when the text was not sealed with this key (tampered, or from another server). */
  unseal<T>(text: string): T | undefined {
    try {
      const raw = Buffer.from(text, "base64url");
      if (raw.length < 29) return undefined;
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8")) as T;
    } catch {
      return undefined;
    }
  }
}

export function readCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function cookie(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean; path?: string }): string {
  return `${name}=${encodeURIComponent(value)}; Path=${options.path ?? "/dashboard"}; Max-Age=${options.maxAgeSeconds}; HttpOnly; SameSite=Lax${options.secure ? "; Secure" : ""}`;
}
