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
 *   A segment with `\|` also runs on RE2: minimatch writes that `|` into its pattern unescaped.
 *
 * The two segments `.` and `..` are answered by minimatch's regular expression for the segment
 * (built here as minimatch builds it), which treats them specially: a pattern that could match
 * them usually must not. On one or two characters that costs nothing.
 *
 * Extglob segments are the only ones minimatch parses itself; they are bounded in length and
 * classes first, since its parser takes quadratic time in the `[`s.
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
// Character classes: minimatch's `parseClass`, ported. It gives the class's regular expression,
// which the matcher only ever runs on one character (so it cannot backtrack).

const POSIX_CLASSES: [name: string, source: string, unicode: boolean, negated: boolean][] = [
  ["[:alnum:]", "\\p{L}\\p{Nl}\\p{Nd}", true, false],
  ["[:alpha:]", "\\p{L}\\p{Nl}", true, false],
  ["[:ascii:]", "\\x00-\\x7f", false, false],
  ["[:blank:]", "\\p{Zs}\\t", true, false],
  ["[:cntrl:]", "\\p{Cc}", true, false],
  ["[:digit:]", "\\p{Nd}", true, false],
  ["[:graph:]", "\\p{Z}\\p{C}", true, true],
  ["[:lower:]", "\\p{Ll}", true, false],
  // As minimatch has it (not negated).
  ["[:print:]", "\\p{C}", true, false],
  ["[:punct:]", "\\p{P}", true, false],
  ["[:space:]", "\\p{Z}\\t\\r\\n\\v\\f", true, false],
  ["[:upper:]", "\\p{Lu}", true, false],
  ["[:word:]", "\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}", true, false],
  ["[:xdigit:]", "A-Fa-f0-9", false, false],
];

const POSIX_BY_NAME = new Map(POSIX_CLASSES.map((entry) => [entry[0], entry]));

/** The POSIX class named at `i` (`[:alpha:]`), if any. */
function posixClassAt(glob: string, i: number): (typeof POSIX_CLASSES)[number] | undefined {
  if (glob.charCodeAt(i + 1) !== 0x3a /* : */) return undefined;
  return POSIX_BY_NAME.get(glob.slice(i, i + 9)) ?? POSIX_BY_NAME.get(glob.slice(i, i + 10));
}

/**
 * Where the class opened at `position` ends, reading it as parseClass does but building nothing:
 * the end (after its `]`), NOT_CLOSED, or NEVER for a range into a POSIX class.
 *
 * A segment of many unclosed `[` would be read to its end once per `[`. But once a reading is past
 * its first character, outside an escape and a range, the rest depends only on the position: `ends`
 * remembers the answer from each such position, so every position is read about once.
 */
const NOT_CLOSED = -1;
const NEVER = -2;
const UNKNOWN = -3;
function classEnd(glob: string, position: number, ends: Int32Array): number {
  const visited: number[] = [];
  let result = NOT_CLOSED;
  let i = position + 1;
  let sawStart = false;
  let escaping = false;
  let rangeStart = false;
  while (i < glob.length) {
    if (sawStart && !escaping && !rangeStart) {
      if (ends[i] !== UNKNOWN) {
        result = ends[i]!;
        break;
      }
      visited.push(i);
    }
    const c = glob.charCodeAt(i);
    if ((c === 0x21 /* ! */ || c === 0x5e) /* ^ */ && i === position + 1) {
      i++;
      continue;
    }
    if (c === 0x5d /* ] */ && sawStart && !escaping) {
      result = i + 1;
      break;
    }
    sawStart = true;
    if (c === 0x5c /* \ */ && !escaping) {
      escaping = true;
      i++;
      continue;
    }
    if (c === 0x5b /* [ */ && !escaping) {
      const posix = posixClassAt(glob, i);
      if (posix) {
        if (rangeStart) {
          result = NEVER;
          break;
        }
        i += posix[0].length;
        continue;
      }
    }
    escaping = false;
    if (rangeStart) {
      rangeStart = false;
      i++;
      continue;
    }
    if (glob.charCodeAt(i + 1) === 0x2d /* - */) {
      if (glob.charCodeAt(i + 2) !== 0x5d /* ] */) rangeStart = true;
      i += 2;
      continue;
    }
    i++;
  }
  for (const at of visited) ends[at] = result;
  return result;
}

const braceEscape = (s: string) => s.replace(/[[\]\\-]/g, "\\$&");
// minimatch's `regExpEscape`, for one character (this runs once per character of every glob).
const REGEXP_SPECIALS = new Set("-[]{}()*+?.,\\^$|#");
const WHITE_SPACE = /\s/;
const regExpEscape = (c: string) => (REGEXP_SPECIALS.has(c) || WHITE_SPACE.test(c) ? `\\${c}` : c);

type ClassParse =
  /** Not a class: the `[` is a literal character. */
  | { kind: "none" }
  /** A class that can match nothing; it consumes the rest of the segment, which then never matches. */
  | { kind: "never" }
  /** A class of one character (`[*]`), which is that literal character. */
  | { kind: "literal"; char: string; consumed: number }
  | { kind: "class"; source: string; unicode: boolean; consumed: number };

function parseClass(glob: string, position: number, ends: Int32Array): ClassParse {
  const end = classEnd(glob, position, ends);
  if (end === NOT_CLOSED) return { kind: "none" };
  if (end === NEVER) return { kind: "never" };
  const ranges: string[] = [];
  const negs: string[] = [];
  let i = position + 1;
  let sawStart = false;
  let unicode = false;
  let escaping = false;
  let negate = false;
  let endPos = position;
  let rangeStart = "";
  while (i < glob.length) {
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
      const posix = posixClassAt(glob, i);
      if (posix) {
        const [name, source, needsUnicode, negated] = posix;
        if (rangeStart) return { kind: "never" };
        i += name.length;
        if (negated) negs.push(source);
        else ranges.push(source);
        unicode = unicode || needsUnicode;
        continue;
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
  return { kind: "class", source, unicode, consumed: endPos - position };
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

/** What minimatch escapes when an escaped character goes into its pattern. */
const RE_SPECIALS = new Set("().*{}+?[]^$\\!");

interface Parsed {
  tokens: Token[];
  classes: { token: ClassToken; source: string }[];
  /** minimatch's regular expression for the segment, without its anchors. */
  source: string;
  unicode: boolean;
  /** A class that can match nothing (`[z-a]`) makes the whole segment match nothing. */
  never: boolean;
}

/**
 * minimatch's `#parseGlob` for a segment without extglobs: tokens, and the regular expression
 * minimatch builds (for `.`, `..` and `\|`).
 */
function tokenize(glob: string): Parsed {
  const tokens: Token[] = [];
  const classes: { token: ClassToken; source: string }[] = [];
  let source = "";
  let unicode = false;
  let never = false;
  let escaping = false;
  let ends: Int32Array | undefined;
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (escaping) {
      escaping = false;
      tokens.push(c);
      source += (RE_SPECIALS.has(c) ? "\\" : "") + c;
      continue;
    }
    if (c === "*") {
      if (tokens[tokens.length - 1] !== STAR_TOKEN) {
        tokens.push(STAR_TOKEN);
        source += "[^/]*?";
      }
      continue;
    }
    if (c === "\\") {
      if (i === glob.length - 1) {
        tokens.push("\\");
        source += "\\\\";
      } else {
        escaping = true;
      }
      continue;
    }
    if (c === "[") {
      ends ??= new Int32Array(glob.length + 1).fill(UNKNOWN);
      const parsed = parseClass(glob, i, ends);
      if (parsed.kind === "never") {
        // minimatch writes `$.` and stops: the segment matches nothing (its pattern may still fail to build).
        never = true;
        source += "$.";
        break;
      }
      if (parsed.kind === "literal") {
        tokens.push(parsed.char);
        source += regExpEscape(parsed.char);
        i += parsed.consumed - 1;
        continue;
      }
      if (parsed.kind === "class") {
        const token: ClassToken = { test: () => false };
        classes.push({ token, source: parsed.source });
        tokens.push(token);
        source += parsed.source;
        unicode = unicode || parsed.unicode;
        i += parsed.consumed - 1;
        continue;
      }
    }
    if (c === "?") {
      tokens.push(ANY);
      source += "[^/]";
      continue;
    }
    tokens.push(c);
    source += regExpEscape(c);
  }
  // minimatch keeps a pattern that could match `.` or `..` from matching them, unless it is one of them.
  const opensLikeADot = (at: number) => source.charAt(at) === "[" || source.charAt(at) === ".";
  const noTraversal =
    glob !== "." && glob !== ".." && (opensLikeADot(0) || (source.startsWith("\\.") && opensLikeADot(2)) || (source.startsWith("\\.\\.") && opensLikeADot(4)));
  return { tokens, classes, source: (noTraversal ? NO_TRAVERSAL : "") + source, unicode, never };
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
 * unit (`?` matches half of an emoji); RE2 reads code points. Moving every unit from U+D800 up
 * (surrogates, and the units above them, so ranges keep their order) to a code point of its own in
 * plane 15 makes both read the same sequence of distinct characters.
 */
const unitAsCodePoint = (unit: string) => String.fromCodePoint(0xf0000 + unit.charCodeAt(0) - 0xd800);
const HIGH_UNITS = /[\ud800-\uffff]/g;
const isHighUnit = (code: number) => code >= 0xd800;

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
    out += !unicode && isHighUnit(c.charCodeAt(0)) ? `\\x{${(0xf0000 + c.charCodeAt(0) - 0xd800).toString(16)}}` : c;
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
    return compiled.test(unicode ? segment : segment.replace(HIGH_UNITS, unitAsCodePoint));
  };
}

// ---------------------------------------------------------------------------------------------

/** Never matches: a class that can match nothing (`[z-a]`) makes minimatch reject the whole segment. */
const matchesNothing = () => false;

/** Extglob segments are parsed by minimatch itself, whose parser is quadratic in the `[`s: these bound it. */
export const EXTGLOB_SEGMENT_LIMITS = { length: 200, classes: 20 } as const;

const NEGATED_EXTGLOB =
  "uses `!(…)` inside a path segment: matching that needs lookahead, which Accord leaves out so that no glob can stall a check. Write the names you do want with `@(a|b)`, or negate the whole glob with a leading `!`";

const unreadable = (error: unknown) => new GlobSyntaxError(`is not a glob minimatch can read (${error instanceof Error ? error.message : String(error)})`);

/** An extglob segment: minimatch's own parse (exact, including its flattening of nested extglobs), run on RE2. */
function compileExtglobSegment(glob: string): SegmentMatcher {
  const classes = glob.split("[").length - 1;
  if (glob.length > EXTGLOB_SEGMENT_LIMITS.length || classes > EXTGLOB_SEGMENT_LIMITS.classes) {
    throw new GlobSyntaxError(
      `has an extglob segment of ${glob.length} characters with ${classes} \`[\`; Accord reads extglob segments (\`@(…)\`, \`+(…)\`, \`?(…)\`, \`*(…)\`) of at most ${EXTGLOB_SEGMENT_LIMITS.length} characters and ${EXTGLOB_SEGMENT_LIMITS.classes} \`[\`. Split the segment, or use \`*\` for part of it`,
    );
  }
  let reference: string | (RegExp & { _src?: string });
  try {
    reference = AST.fromGlob(glob, { dot: true }).toMMPattern();
  } catch (error) {
    throw unreadable(error);
  }
  return typeof reference === "string" ? reference : regexpMatcher(reference);
}

/**
 * Compiles one segment (not `**`, which the caller handles). Throws GlobSyntaxError for what
 * cannot be matched in linear time (`!(…)`) or that minimatch cannot read.
 */
export function compileSegment(glob: string): SegmentMatcher {
  if (glob === "") return "";
  const openers = extglobOpeners(glob);
  if (openers.has("!")) throw new GlobSyntaxError(NEGATED_EXTGLOB);
  if (openers.size > 0) return compileExtglobSegment(glob);
  // Every shortcut's shape has a wildcard, so minimatch always takes it.
  const fast = shortcut(glob);
  if (fast) return fast;
  const parsed = tokenize(glob);
  if (!parsed.never && parsed.tokens.every((token) => typeof token === "string")) return parsed.tokens.join("");
  const { unicode } = parsed;
  let reference: RegExp & { _src?: string };
  try {
    reference = Object.assign(new RegExp(`^${parsed.source}$`, unicode ? "u" : ""), { _src: parsed.source });
    for (const { token, source } of parsed.classes) {
      const regexp = new RegExp(`^(?:${source})$`, unicode ? "u" : "");
      token.test = (char) => regexp.test(char);
    }
  } catch (error) {
    // minimatch cannot build it either (`-[[:alpha:]]`: an escape its unicode pattern refuses).
    throw unreadable(error);
  }
  // `\|`: minimatch leaves the `|` unescaped in its pattern, an alternation; RE2 reads it the same way.
  if (glob.includes("\\|")) return regexpMatcher(reference);
  if (parsed.never) return matchesNothing;
  const wildcard = wildcardMatcher(unicode ? joinSurrogatePairs(parsed.tokens) : parsed.tokens, unicode);
  return (segment) => (isDotOrDotDot(segment) ? reference.test(segment) : wildcard(segment));
}
