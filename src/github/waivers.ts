/**
 * Waivers kept where the next evaluation finds them: hidden data at the end of the summary
 * comment. Survives pushes; readable by any instance; edited only by the app.
 */
import type { Waiver } from "../engine/facts.js";

const PREFIX = "<!-- accord:data ";
const SUFFIX = " -->";

export interface CommentData {
  waivers: Waiver[];
  /** Logins Accord requested a review from, so it never requests them again. */
  requested?: string[];
}

export function encodeCommentData(data: CommentData): string {
  return `${PREFIX}${Buffer.from(JSON.stringify(data), "utf8").toString("base64url")}${SUFFIX}`;
}

export function decodeCommentData(body: string | undefined): CommentData {
  if (!body) return { waivers: [] };
  const start = body.lastIndexOf(PREFIX);
  if (start === -1) return { waivers: [] };
  const end = body.indexOf(SUFFIX, start + PREFIX.length);
  try {
    const parsed = JSON.parse(Buffer.from(body.slice(start + PREFIX.length, end), "base64url").toString("utf8")) as Partial<CommentData>;
    const waivers = Array.isArray(parsed.waivers)
      ? parsed.waivers.filter((w): w is Waiver => typeof w?.agreementId === "string" && typeof w.by === "string" && typeof w.reason === "string")
      : [];
    const requested = Array.isArray(parsed.requested) ? parsed.requested.filter((login): login is string => typeof login === "string") : [];
    return requested.length > 0 ? { waivers, requested } : { waivers };
  } catch {
    return { waivers: [] };
  }
}

export function withWaiver(data: CommentData, waiver: Waiver): CommentData {
  return { ...data, waivers: [...data.waivers.filter((w) => w.agreementId !== waiver.agreementId), waiver] };
}

export function withoutWaiver(data: CommentData, agreementId: string): CommentData {
  return { ...data, waivers: data.waivers.filter((w) => w.agreementId !== agreementId) };
}
