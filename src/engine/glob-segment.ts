/**
 * One path segment of a glob (the text between two `/`), compiled to a test that runs in time
 * linear in the segment's length times the pattern's, with exactly minimatch's answers (`dot: true`).
 *
 * minimatch turns a segment into a backtracking regular expression: `*_*_*_*.py` against one long
 * name takes seconds. Here a segment becomes one of:
 * - a literal, compared with `===`;
 * - one of minimatch's own shortcuts (`*`, `*.ext`, `???`, `*.*`, `.*`), kept as minimatch runs them;
 * - tokens (`*`, `?`, a character class, a character) matched by the classic wildcard algorithm:
 *   the pieces between stars are found leftmost, one after the other, which is exact when every
 *   piece matches one character per token, and costs at most segment length × pattern length;
 * - for extglobs (`@(a|b)`, `+(…)`, `?(…)`, `*(…)`), minimatch's regular expression run on RE2,
 *   a linear-time engine. `!(…)` needs lookahead, which RE2 does not have, so it is refused.
 *   (So does `\|`, which minimatch writes into its pattern unescaped.)
 *
 * The two segments `.` and `..` are answered by minimatch's own regular expression, which treats
 * them specially (a pattern that could match them usually must not); on one or two characters
 * that costs nothing.
 */
import { AST } from "minimatch";
import { RE2JS } from "re2js";

/** A segment's test; a string is a literal segment. */
export type SegmentMatcher = string | ((segment: string) => boolean);

/** A glob the matcher will not take, with the predicate of the sentence that says why. */
export class GlobSyntaxError extends Error {}

/** Work counter: one step per character or segment comparison; tests use it to show the work grows linearly. */
export const matchWork = { steps: 0 };

// minimatch's shortcuts for the commonest segments (minimatch 10, `Minimatch.parse`), with the tests it runs for `dot: true`.
const STAR = /^\*+$/;
const STAR_DOT_EXT = /^\*+([^+@!?*[(]*)$/;
const QMARKS = /^\?+([^+@!?*[(]*)?$/;
const STAR_DOT_STAR = /^\*+\.\*+$/;
const DOT_STAR = /^\.\*+$/;

const isDotOrDotDot = (segment: string) => segment === "." || segment === "..";

function shortcut(glob: string): ((segment: string) => boolean) | undefined {
  if (STAR.test(glob)) return (f) => f.length !== 0 && !isDotOrDotDot(f);
  let m = STAR_DOT_EXT.exec(glob);
  if (m) {
    // minimatch compares the text after the stars as written, backslashes included.
    const ext = m[1]!;
    return (f) => f.endsWith(ext);
  }
  m = QMARKS.exec(glob);
  if (m) {
    const length = glob.length;
    const ext = m[1] ?? "";
    return (f) => f.length === length && !isDotOrDotDot(f) && (ext === "" || f.endsWith(ext));
  }
  if (STAR_DOT_STAR.test(glob)) return (f) => !isDotOrDotDot(f) && f.includes(".");
  if (DOT_STAR.test(glob)) return (f) => !isDotOrDotDot(f) && f.startsWith(".");
  return undefined;
}

const EXTGLOB_TYPES = "!?+*@";

/**
 * The extglob openers (`@(`, `!(`, …) in a segment, found the way minimatch's parser finds them:
 * a backslash escapes the next character and a `[...]` class hides what is inside it.
 */
export function extglobOpeners(glob: string): Set<string> {
  const found = new Set<string>();
  let escaping = false;
  let inBrace = false;
  let braceStart = -1;
  let braceNeg = false;
  let i = 0;
  while (i < glob.length) {
    const c = glob.charAt(i++);
    if (escaping || c === "\\") {
      escaping = !escaping;
      continue;
    }
    if (inBrace) {
      if (i === braceStart + 1) {
        if (c === "^" || c === "!") braceNeg = true;
      } else if (c === "]" && !(i === braceStart + 2 && braceNeg)) {
        inBrace = false;
      }
      continue;
    }
    if (c === "[") {
      inBrace = true;
      braceStart = i;
      braceNeg = false;
      continue;
    }
    if (EXTGLOB_TYPES.includes(c) && glob.charAt(i) === "(") found.add(c);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Character classes: minimatch's `parseClass`, ported to give the class's regular expression,
// which is then only ever run on one character (so it cannot backtrack).

// Whether a class needs the `u` flag is read from minimatch's own pattern for the segment.
const POSIX_CLASSES: Record<string, [source: string, negated: boolean]> = {
  "[:alnum:]": ["\\p{L}\\p{Nl}\\p{Nd}", false],
  "[:alpha:]": ["\\p{L}\\p{Nl}", false],
  "[:ascii:]": ["\\x00-\\x7f", false],
  "[:blank:]": ["\\p{Zs}\\t", false],
  "[:cntrl:]": ["\\p{Cc}", false],
  "[:digit:]": ["\\p{Nd}", false],
  "[:graph:]": ["\\p{Z}\\p{C}", true],
  "[:lower:]": ["\\p{Ll}", false],
  "[:print:]": ["\\p{C}", false],
  "[:punct:]": ["\\p{P}", false],
  "[:space:]": ["\\p{Z}\\t\\r\\n\\v\\f", false],
  "[:upper:]": ["\\p{Lu}", false],
  "[:word:]": ["\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}", false],
  "[:xdigit:]": ["A-Fa-f0-9", false],
};

const braceEscape = (s: string) => s.replace(/[[\]\\-]/g, "\\$&");

type ClassParse =
  /** Not a class: the `[` is a literal character. */
  | { kind: "none" }
  /** A class that can match nothing; it consumes the rest of the segment, which then never matches. */
  | { kind: "never" }
  /** A class of one character (`[*]`), which is that literal character. */
  | { kind: "literal"; char: string; consumed: number }
  | { kind: "class"; source: string; consumed: number };

function parseClass(glob: string, position: number): ClassParse {
  const ranges: string[] = [];
  const negs: string[] = [];
  let i = position + 1;
  let sawStart = false;
  let escaping = false;
  let negate = false;
  let endPos = position;
  let rangeStart = "";
  outer: while (i < glob.length) {
    const c = glob.charAt(i);
    if ((c === "!" || c === "^") && i === position + 1) {
      negate = true;
      i++;
      continue;
    }
    if (c === "]" && sawStart && !escaping) {
      endPos = i + 1;
      break;
    }
    sawStart = true;
    if (c === "\\" && !escaping) {
      escaping = true;
      i++;
      continue;
    }
    if (c === "[" && !escaping) {
      for (const [name, [source, negated]] of Object.entries(POSIX_CLASSES)) {
        if (glob.startsWith(name, i)) {
          if (rangeStart) return { kind: "never" };
          i += name.length;
          if (negated) negs.push(source);
          else ranges.push(source);
          continue outer;
        }
      }
    }
    escaping = false;
    if (rangeStart) {
      if (c > rangeStart) ranges.push(`${braceEscape(rangeStart)}-${braceEscape(c)}`);
      else if (c === rangeStart) ranges.push(braceEscape(c));
      rangeStart = "";
      i++;
      continue;
    }
    if (glob.startsWith("-]", i + 1)) {
      ranges.push(braceEscape(`${c}-`));
      i += 2;
      continue;
    }
    if (glob.startsWith("-", i + 1)) {
      rangeStart = c;
      i += 2;
      continue;
    }
    ranges.push(braceEscape(c));
    i++;
  }
  if (endPos < i) return { kind: "none" };
  if (ranges.length === 0 && negs.length === 0) return { kind: "never" };
  if (negs.length === 0 && ranges.length === 1 && /^\\?.$/.test(ranges[0]!) && !negate) {
    const range = ranges[0]!;
    return { kind: "literal", char: range.length === 2 ? range.slice(-1) : range, consumed: endPos - position };
  }
  const positive = `[${negate ? "^" : ""}${ranges.join("")}]`;
  const negative = `[${negate ? "" : "^"}${negs.join("")}]`;
  const source = ranges.length > 0 && negs.length > 0 ? `(${positive}|${negative})` : ranges.length > 0 ? positive : negative;
  return { kind: "class", source, consumed: endPos - position };
}

// ---------------------------------------------------------------------------------------------
// Tokens and the wildcard algorithm.

const ANY = 0;
const STAR_TOKEN = 1;
interface ClassToken {
  test: (char: string) => boolean;
}
/** A literal character (a UTF-16 unit; a code point in unicode mode), any one character, a class, or a star. */
type Token = string | typeof ANY | typeof STAR_TOKEN | ClassToken;
type CharToken = Exclude<Token, typeof STAR_TOKEN>;

interface Piece {
  tokens: CharToken[];
  /** The piece's text when every token is a literal, for a fast `indexOf`. */
  literal?: string;
}

/** minimatch's `#parseGlob`, giving tokens instead of a regular expression; undefined when the segment never matches. */
function tokenize(glob: string): { tokens: Token[]; classes: { token: ClassToken; source: string }[] } | undefined {
  const tokens: Token[] = [];
  const classes: { token: ClassToken; source: string }[] = [];
  let escaping = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (escaping) {
      escaping = false;
      tokens.push(c);
      continue;
    }
    if (c === "*") {
      if (tokens[tokens.length - 1] !== STAR_TOKEN) tokens.push(STAR_TOKEN);
      continue;
    }
    if (c === "\\") {
      if (i === glob.length - 1) tokens.push("\\");
      else escaping = true;
      continue;
    }
    if (c === "[") {
      const parsed = parseClass(glob, i);
      if (parsed.kind === "never") return undefined;
      if (parsed.kind === "literal") {
        tokens.push(parsed.char);
        i += parsed.consumed - 1;
        continue;
      }
      if (parsed.kind === "class") {
        const token: ClassToken = { test: () => false };
        classes.push({ token, source: parsed.source });
        tokens.push(token);
        i += parsed.consumed - 1;
        continue;
      }
    }
    if (c === "?") {
      tokens.push(ANY);
      continue;
    }
    tokens.push(c);
  }
  return { tokens, classes };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** In unicode mode a literal astral character is one token, as the `u` flag reads it. */
function joinSurrogatePairs(tokens: Token[]): Token[] {
  const joined: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (typeof token === "string" && typeof next === "string" && isHighSurrogate(token.charCodeAt(0)) && isLowSurrogate(next.charCodeAt(0))) {
      joined.push(token + next);
      i++;
    } else {
      joined.push(token);
    }
  }
  return joined;
}

function pieceOf(tokens: CharToken[]): Piece {
  const piece: Piece = { tokens };
  if (tokens.every((token) => typeof token === "string")) piece.literal = tokens.join("");
  return piece;
}

function tokenMatches(token: CharToken, char: string): boolean {
  if (typeof token === "string") return token === char;
  if (token === ANY) return true;
  return token.test(char);
}

function pieceAt(piece: Piece, text: ArrayLike<string>, at: number): boolean {
  const tokens = piece.tokens;
  matchWork.steps += tokens.length;
  for (let k = 0; k < tokens.length; k++) if (!tokenMatches(tokens[k]!, text[at + k]!)) return false;
  return true;
}

/** The leftmost start in [from, last] where the piece matches, or -1. */
function findPiece(piece: Piece, text: ArrayLike<string>, from: number, last: number): number {
  if (from > last) return -1;
  if (piece.literal !== undefined && typeof text === "string") {
    const at = text.indexOf(piece.literal, from);
    matchWork.steps += (at === -1 ? text.length : at + piece.literal.length) - from;
    return at !== -1 && at <= last ? at : -1;
  }
  for (let at = from; at <= last; at++) if (pieceAt(piece, text, at)) return at;
  return -1;
}

/**
 * Tokens split at their stars: the first piece is anchored at the start, the last at the end, and
 * those between are taken leftmost, in order. Every token matches exactly one character, so taking
 * each piece as early as possible never loses a match, and the work is at most length × pattern.
 */
function wildcardMatcher(tokens: Token[], unicode: boolean): (segment: string) => boolean {
  const pieces: Piece[] = [];
  let current: CharToken[] = [];
  for (const token of tokens) {
    if (token === STAR_TOKEN) {
      pieces.push(pieceOf(current));
      current = [];
    } else {
      current.push(token);
    }
  }
  pieces.push(pieceOf(current));
  const first = pieces[0]!;
  if (pieces.length === 1) {
    return (segment) => {
      const text: ArrayLike<string> = unicode ? Array.from(segment) : segment;
      return text.length === first.tokens.length && pieceAt(first, text, 0);
    };
  }
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1);
  const fixed = first.tokens.length + last.tokens.length;
  return (segment) => {
    const text: ArrayLike<string> = unicode ? Array.from(segment) : segment;
    const length = text.length;
    if (length < fixed) return false;
    if (!pieceAt(first, text, 0) || !pieceAt(last, text, length - last.tokens.length)) return false;
    let position = first.tokens.length;
    const end = length - last.tokens.length;
    for (const piece of middle) {
      const at = findPiece(piece, text, position, end - piece.tokens.length);
      if (at === -1) return false;
      position = at + piece.tokens.length;
    }
    return true;
  };
}

// ---------------------------------------------------------------------------------------------
// Extglobs on RE2.

/** What minimatch puts at the start of a pattern that could match `.` or `..`; those two are answered apart. */
const NO_TRAVERSAL = "(?!(?:^|/)\\.\\.?(?:$|/))";

/**
 * UTF-16 units as RE2 code points. Without the `u` flag a JavaScript pattern reads a string unit by
 * unit (`?` matches half of an emoji); RE2 reads code points. Moving every surrogate unit to a code
 * point of its own (in plane 15) makes both read the same sequence.
 */
const unitAsCodePoint = (unit: string) => String.fromCodePoint(0xf0000 + unit.charCodeAt(0) - 0xd800);
const SURROGATES = /[\ud800-\udfff]/g;
const isSurrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;

function re2Source(source: string, unicode: boolean): string {
  const body = source.split(NO_TRAVERSAL).join("");
  if (/\(\?[=!<]/.test(body)) throw new GlobSyntaxError("needs a lookahead, which Accord does not run");
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c === "\\" && i + 1 < body.length) {
      const next = body.charAt(i + 1);
      // RE2 takes escapes of punctuation only; minimatch also escapes white space.
      out += /\s/.test(next) ? `\\x{${next.charCodeAt(0).toString(16)}}` : `\\${next}`;
      i++;
      continue;
    }
    out += !unicode && isSurrogate(c.charCodeAt(0)) ? `\\x{${(0xf0000 + c.charCodeAt(0) - 0xd800).toString(16)}}` : c;
  }
  return out;
}

/**
 * minimatch's own regular expression for the segment, run on RE2 with the same anchors (`^…$`,
 * searched, as JavaScript's `test` does), so even an alternation minimatch lets through (`\|`)
 * reads the same.
 */
function regexpMatcher(regexp: RegExp & { _src?: string }): (segment: string) => boolean {
  const unicode = regexp.flags.includes("u");
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(`^${re2Source(regexp._src ?? regexp.source.slice(1, -1), unicode)}$`);
  } catch (error) {
    if (error instanceof GlobSyntaxError) throw error;
    throw new GlobSyntaxError(`is not a glob Accord can read (${error instanceof Error ? error.message : String(error)})`);
  }
  return (segment) => {
    if (isDotOrDotDot(segment)) return regexp.test(segment);
    matchWork.steps += segment.length;
    return compiled.test(unicode ? segment : segment.replace(SURROGATES, unitAsCodePoint));
  };
}

// ---------------------------------------------------------------------------------------------

/** Never matches: a class that can match nothing (`[z-a]`) makes minimatch reject the whole segment. */
const never = () => false;

/**
 * Compiles one segment (not `**`, which the caller handles). Throws GlobSyntaxError for what
 * cannot be matched in linear time (`!(…)`).
 */
export function compileSegment(glob: string): SegmentMatcher {
  if (glob === "") return "";
  const openers = extglobOpeners(glob);
  if (openers.has("!")) {
    throw new GlobSyntaxError(
      "uses `!(…)` inside a path segment: matching that needs lookahead, which Accord leaves out so that no glob can stall a check. Write the names you do want with `@(a|b)`, or negate the whole glob with a leading `!`",
    );
  }
  // minimatch's regular expression (or literal) for the segment: the reference for `.` and `..`.
  let reference: string | (RegExp & { _src?: string });
  try {
    reference = AST.fromGlob(glob, { dot: true }).toMMPattern();
  } catch (error) {
    // minimatch cannot build it either (`-[[:alpha:]]`: an escape its unicode pattern refuses).
    throw new GlobSyntaxError(`is not a glob minimatch can read (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof reference === "string") return reference;
  const fast = shortcut(glob);
  if (fast) return fast;
  // Extglobs, and `\|`, which minimatch leaves unescaped in its pattern (an alternation), go to RE2.
  if (openers.size > 0 || glob.includes("\\|")) return regexpMatcher(reference);
  const parsed = tokenize(glob);
  if (parsed === undefined) return never;
  const unicode = reference.flags.includes("u");
  for (const { token, source } of parsed.classes) {
    const regexp = new RegExp(`^(?:${source})$`, unicode ? "u" : "");
    token.test = (char) => regexp.test(char);
  }
  const tokens = unicode ? joinSurrogatePairs(parsed.tokens) : parsed.tokens;
  const wildcard = wildcardMatcher(tokens, unicode);
  return (segment) => (isDotOrDotDot(segment) ? reference.test(segment) : wildcard(segment));
}
