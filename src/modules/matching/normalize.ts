import type { MatchableItem } from './matcher.types.js';
import { CHECK_PRIME, checkFinish, checkStep, FNV_OFFSET, FNV_PRIME, lowerAscii } from './token-hash.js';

/**
 * One normalisation for rules and for Reddit text, so a rule word and the same word in a
 * post always produce the same token. Rules and items both go through foldText + tokenize.
 */

const NON_ASCII = /[\u0080-\uffff]/;
// Only the Latin combining diacritics: stripping every mark would break scripts such as
// Devanagari or Thai, whose vowel signs are marks too.
const LATIN_DIACRITICS = /[\u0300-\u036f]/g;
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const SPECIAL_LETTER_RE = /[ßæœøłđðþı]/g;

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };
// Built from ENTITIES so that the two cannot disagree (the keys hold no regex syntax).
const ENTITY_RE = new RegExp(Object.keys(ENTITIES).join('|'), 'g');
// [text](url) and [text](url "title"): the link text is what a person reads.
const MARKDOWN_LINK_RE = /\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\)/g;
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>()[\]"]+/gi;
const URL_PUNCT_RE = /[^\p{L}\p{N}]+/gu;
// Whether text may hold a URL: URL_RE can match only where this does (both ignore case).
const URL_HINT_RE = /:\/\/|www\./i;

// A URL's scheme and `www.`, which neither plainText nor blankLinks keeps.
const URL_PREFIX_RE = /^(?:https?:\/\/)?(?:www\.)?/i;

function urlWords(url: string): string {
  return ` ${url.replace(URL_PREFIX_RE, '').replace(URL_PUNCT_RE, ' ')} `;
}

const decodeEntities = (s: string) => (s.includes('&') ? s.replace(ENTITY_RE, (e) => ENTITIES[e] ?? e) : s);

/** Markdown links become their text, bare URLs their words, HTML entities their character. */
export function plainText(raw: string): string {
  return rewriteLinks(decodeEntities(raw));
}

/** plainText of text whose entities are decoded already. */
function rewriteLinks(decoded: string): string {
  let s = decoded;
  if (s.includes('](')) s = s.replace(MARKDOWN_LINK_RE, ' $1 ');
  if (URL_HINT_RE.test(s)) s = s.replace(URL_RE, urlWords);
  return s;
}

/** NFKC, lower case, Latin accents folded: "Ｃafé" and "cafe" become the same string. */
export function foldText(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  return s
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(LATIN_DIACRITICS, '')
    .replace(SPECIAL_LETTER_RE, (c) => SPECIAL_LETTERS[c] ?? c)
    .normalize('NFC');
}

/*
 * A token is a run of letters and digits. Dots join runs (`node.js`, `asp.net`, `3.5`), a
 * dot may lead a run when nothing word-like precedes it (`.net`), and a trailing `+`, `++`
 * or `#` sticks to the run when no letter follows (`c++`, `c#`, `notepad++`). Everything
 * else, apostrophes and hyphens included, separates tokens: `e-mail` is `e mail`.
 * TOKEN_PATTERN states the rule; tokenize() is a hand-written scanner with the same result
 * (checked by a property test) because the expression was the slowest step of matching.
 */
export const TOKEN_PATTERN =
  /(?:(?<![\p{L}\p{N}.])\.)?[\p{L}\p{N}]+(?:\.[\p{L}\p{N}]+)*(?:\+\+?(?![\p{L}\p{N}+])|#(?![\p{L}\p{N}#]))?/gu;

const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_WORD[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = 1;
const UNICODE_WORD = /^[\p{L}\p{N}]$/u;
const DOT = 46;
const PLUS = 43;
const HASH = 35;
const AMPERSAND = 38;

/** Width in UTF-16 units of the letter or digit at i, 0 when there is none. */
function wordWidth(s: string, i: number): number {
  if (i >= s.length) return 0;
  const c = s.charCodeAt(i);
  if (c < 128) return ASCII_WORD[c]!;
  const cp = s.codePointAt(i)!;
  if (cp >= 0xdc00 && cp <= 0xdfff) return 0;
  return UNICODE_WORD.test(String.fromCodePoint(cp)) ? (cp > 0xffff ? 2 : 1) : 0;
}

/** Whether the character ending just before i is a letter, digit or dot. */
function wordOrDotBefore(s: string, i: number): boolean {
  if (i === 0) return false;
  const c = s.charCodeAt(i - 1);
  if (c === DOT) return true;
  if (c < 128) return ASCII_WORD[c] === 1;
  const start = c >= 0xdc00 && c <= 0xdfff && i >= 2 ? i - 2 : i - 1;
  return wordWidth(s, start) > 0;
}

function skipRun(s: string, i: number): number {
  let j = i;
  for (;;) {
    const c = s.charCodeAt(j);
    if (c < 128) {
      if (ASCII_WORD[c] === 0) return j;
      j++;
    } else {
      // Also reached past the end, where charCodeAt is NaN and wordWidth answers 0.
      const w = wordWidth(s, j);
      if (w === 0) return j;
      j += w;
    }
  }
}

/**
 * Token positions in a folded string: token k is `text.slice(starts[k], ends[k])`. For
 * each character i of a token, `running[i]` is the hashRange of the token up to and
 * including it (capitals count as lower case, see scanRawText): the token's own hash at
 * its last character, its prefixes' before. `runningChecks[i]` is the running check hash
 * (checkStep, from `seed`, the matcher's: see token-vocabulary.ts) up to character i,
 * from which checkFinish gives the token's or a prefix's checkHash (tokenCheck).
 */
export interface TokenSpans {
  starts: Int32Array;
  ends: Int32Array;
  running: Int32Array;
  runningChecks: Int32Array;
  /** The text as bytes while it is scanned (asciiBytes), with room for two past its end. */
  bytes: Uint8Array;
  count: number;
  readonly seed: number;
}

export function createTokenSpans(capacity = 256, seed = 0): TokenSpans {
  return {
    starts: new Int32Array(capacity),
    ends: new Int32Array(capacity),
    running: new Int32Array(capacity * 2),
    runningChecks: new Int32Array(capacity * 2),
    bytes: new Uint8Array(capacity * 2 + 2),
    count: 0,
    seed,
  };
}

/** Token k's checkHash, from its running check hash. */
export function tokenCheck(spans: TokenSpans, k: number): number {
  const end = spans.ends[k]!;
  return checkFinish(spans.runningChecks[end - 1]!, end - spans.starts[k]!);
}

function pushSpan(spans: TokenSpans, start: number, end: number): void {
  if (spans.count === spans.starts.length) ensureSpanCapacity(spans, spans.count * 2);
  spans.starts[spans.count] = start;
  spans.ends[spans.count] = end;
  spans.count++;
}

function ensureSpanCapacity(spans: TokenSpans, capacity: number): void {
  if (spans.starts.length >= capacity) return;
  const grow = (a: Int32Array) => {
    const b = new Int32Array(capacity);
    b.set(a);
    return b;
  };
  spans.starts = grow(spans.starts);
  spans.ends = grow(spans.ends);
}

/**
 * Finds the tokens of already folded text, as positions with running hashes: the matcher
 * reads the characters in place, so the hot path makes no string per token. Reddit text
 * is mostly ASCII, which one tight loop scans and hashes at once (as bytes, asciiBytes);
 * any other text takes the general scanner.
 */
export function scanTokens(folded: string, spans: TokenSpans): void {
  ensureScanCapacity(folded, spans);
  if (asciiBytes(folded, spans)) {
    scanBytes(folded, spans, false);
    return;
  }
  scanAnyTokens(folded, spans);
  const { running, runningChecks, seed } = spans;
  for (let k = 0; k < spans.count; k++) {
    let h = FNV_OFFSET;
    let check = seed;
    const start = spans.starts[k]!;
    const end = spans.ends[k]!;
    for (let i = start; i < end; i++) {
      const c = lowerAscii(folded.charCodeAt(i));
      h = Math.imul(h ^ c, FNV_PRIME);
      running[i] = h;
      check = checkStep(check, c);
      runningChecks[i] = check;
    }
  }
}

function ensureScanCapacity(s: string, spans: TokenSpans): void {
  // Tokens are separated by at least one character.
  ensureSpanCapacity(spans, (s.length >> 1) + 1);
  if (spans.running.length < s.length) {
    spans.running = new Int32Array(s.length * 2);
    spans.runningChecks = new Int32Array(s.length * 2);
  }
  if (spans.bytes.length < s.length + 2) spans.bytes = new Uint8Array(s.length * 2 + 2);
}

/**
 * Finds the tokens of raw Reddit text (markdown), as scanTokens does of foldedText(raw),
 * and returns the string the spans point into. Text whose only characters beyond ASCII
 * are separators (see separatorWidth), most of Reddit, is scanned where it lies, as bytes:
 * letters are lower-cased as they are hashed (so a token's characters compare to a word's
 * case-insensitively, see token-vocabulary.ts) and HTML entities are skipped as the
 * separators they stand for, without making a folded copy. In text with links or URLs,
 * entities are decoded first, then what plainText would remove of the links is blanked in
 * the bytes (blankLinks) rather than cut out of a new string. Text with other characters
 * is folded first.
 */
export function scanRawText(raw: string, spans: TokenSpans): string {
  // Decoding entities makes and removes neither `](` nor a URL's start, so these hold for
  // the decoded text too.
  const markdown = raw.includes('](');
  const urls = URL_HINT_RE.test(raw);
  const linked = markdown || urls;
  const text = linked ? decodeEntities(raw) : raw;
  ensureScanCapacity(text, spans);
  if (asciiBytes(text, spans)) {
    if (linked) blankLinks(text, spans.bytes, markdown, urls);
    scanBytes(text, spans, !linked);
    return text;
  }
  // Without links, plainText only decodes the entities; with them, they are decoded already.
  const folded = foldText(linked ? rewriteLinks(text) : decodeEntities(raw));
  scanTokens(folded, spans);
  return folded;
}

/*
 * What plainText rewrites of links, done to the bytes of entity-decoded text as spaces:
 * a markdown link's brackets, target and title around its text, and of a bare URL its
 * scheme, `www.` and every character but letters and digits. plainText puts a space on
 * each side of what it keeps; in place the characters around are separators already: a
 * URL starts with its blanked scheme or `www.` and ends before a character URL_RE stops
 * at, a link starts with `[` and ends with `)`. The same expressions find the same links
 * here: a URL cannot cross a link's brackets, so rewriting links first moves none.
 */
function blankLinks(s: string, bytes: Uint8Array, markdown: boolean, urls: boolean): void {
  if (markdown) {
    MARKDOWN_LINK_RE.lastIndex = 0;
    for (let m = MARKDOWN_LINK_RE.exec(s); m !== null; m = MARKDOWN_LINK_RE.exec(s)) {
      bytes[m.index] = 32;
      bytes.fill(32, m.index + 1 + m[1]!.length, m.index + m[0].length);
    }
  }
  if (urls) {
    URL_RE.lastIndex = 0;
    for (let m = URL_RE.exec(s); m !== null; m = URL_RE.exec(s)) {
      const end = m.index + m[0].length;
      let i = m.index + URL_PREFIX_RE.exec(m[0])![0].length;
      bytes.fill(32, m.index, i);
      for (; i < end; i++) if (ASCII_WORD[bytes[i]!] === 0) bytes[i] = 32;
    }
  }
}

// What follows the `&` of each entity plainText decodes.
const ENTITY_TAILS = Object.keys(ENTITIES).map((e) => e.slice(1));

/**
 * The length of the HTML entity (one of ENTITIES) whose `&` is just before i, counted
 * from i, or 0. Every entity stands for a character that separates tokens.
 */
function entityTail(s: string, i: number): number {
  for (const tail of ENTITY_TAILS) if (s.startsWith(tail, i)) return tail.length;
  return 0;
}

/*
 * Characters beyond ASCII that folding leaves a separator, whatever surrounds them: curly
 * quotes, dashes, bullets, currency signs, emoji, no-break spaces. Such a character is
 * no letter, digit, mark or token joiner (`.`, `+`, `#`, `&`) and folds (foldText, alone)
 * to a non-empty string of the same kind; without marks it composes with no neighbour.
 * Text whose other characters are ASCII is then scanned in place. Decided once per
 * character, on first sight.
 */
const NOT_SEPARATOR = /[\p{L}\p{N}\p{M}.+#&]/u;
const bmpSeparator = new Uint8Array(0x10000); // 0: not decided yet, 1: separator, 2: not
const astralSeparator = new Map<number, boolean>();

function foldsToSeparator(codePoint: number): boolean {
  const c = String.fromCodePoint(codePoint);
  if (NOT_SEPARATOR.test(c)) return false;
  const folded = foldText(c);
  return folded !== '' && !NOT_SEPARATOR.test(folded);
}

/** 1, or 2 for a surrogate pair, when a separator of that kind is at i; 0 otherwise. */
function separatorWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) {
    let known = bmpSeparator[c]!;
    if (known === 0) {
      known = foldsToSeparator(c) ? 1 : 2;
      bmpSeparator[c] = known;
    }
    return known === 1 ? 1 : 0;
  }
  const low = s.charCodeAt(i + 1);
  if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return 0;
  const codePoint = (c - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  let known = astralSeparator.get(codePoint);
  if (known === undefined) {
    known = foldsToSeparator(codePoint);
    astralSeparator.set(codePoint, known);
  }
  return known ? 2 : 0;
}

const encoder = new TextEncoder();

/*
 * Copies text whose characters are ASCII or separators (separatorWidth) into
 * `spans.bytes`, one byte per UTF-16 unit so that positions stay the same, separators as
 * spaces, with two spaces past the end; false at the first other character. Most Reddit
 * text is plain ASCII, which the encoder copies natively.
 */
function asciiBytes(s: string, spans: TokenSpans): boolean {
  const n = s.length;
  const bytes = spans.bytes;
  const { read, written } = encoder.encodeInto(s, bytes);
  if (read !== n || written !== n) {
    for (let i = 0; i < n; ) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        bytes[i++] = c;
        continue;
      }
      const width = separatorWidth(s, i);
      if (width === 0) return false;
      for (const end = i + width; i < end; i++) bytes[i] = 32;
    }
  }
  bytes[n] = 32;
  bytes[n + 1] = 32;
  return true;
}

/*
 * The token rule of scanAnyTokens for the bytes of text that asciiBytes took, writing the
 * running hashes of the lower-cased characters as it goes. Past the end it reads spaces,
 * which every rule treats as the end. `raw`: the text is not decoded yet, so HTML
 * entities are skipped. Tables and constants are local: V8 reads module-level bindings
 * more slowly.
 */
function scanBytes(s: string, spans: TokenSpans, raw: boolean): void {
  const word = ASCII_WORD;
  const amp = AMPERSAND;
  const { bytes, starts, ends, running, runningChecks, seed } = spans;
  const offset = FNV_OFFSET;
  const prime = FNV_PRIME;
  const checkPrime = CHECK_PRIME;
  const dot = DOT;
  const plus = PLUS;
  const hash = HASH;
  const n = s.length;
  let count = 0;
  let i = 0;
  while (i < n) {
    let c = bytes[i]!;
    let h = offset;
    // The check hash (checkStep, inlined: a call here cost a few per cent). Both steps are
    // written out wherever a character joins the token: one shared step site, with a
    // countdown for the `+`, `++` and `#` endings, was 4-7 % slower.
    let g = seed;
    const start = i;
    if (word[c] === 0) {
      i++;
      if (c === amp && raw) {
        i += entityTail(s, i);
        continue;
      }
      // A dot leads a token (`.net`) when a letter or digit follows and none or a dot precedes.
      if (c !== dot) continue;
      const next = bytes[i]!;
      if (word[next] === 0) continue;
      const before = start > 0 ? bytes[start - 1]! : 32;
      if (before === dot || word[before] === 1) continue;
      h = Math.imul(h ^ dot, prime);
      g = Math.imul(g ^ dot, checkPrime);
      g ^= g >>> 15;
      running[start] = h;
      runningChecks[start] = g;
      c = next;
    }
    // A run of letters and digits; a dot followed by a letter or digit joins the next run.
    for (;;) {
      // c is a letter or digit here: setting bit 5 is lowerAscii(c) without a compare.
      h = Math.imul(h ^ (c | 32), prime);
      g = Math.imul(g ^ (c | 32), checkPrime);
      g ^= g >>> 15;
      running[i] = h;
      runningChecks[i] = g;
      c = bytes[++i]!;
      if (word[c] === 1) continue;
      if (c !== dot) break;
      const next = bytes[i + 1]!;
      if (word[next] === 0) break;
      h = Math.imul(h ^ dot, prime);
      g = Math.imul(g ^ dot, checkPrime);
      g ^= g >>> 15;
      running[i] = h;
      runningChecks[i] = g;
      c = next;
      i++;
    }
    if (c === plus) {
      // `c++`, `c+`: one or two pluses with no letter, digit or further plus after them.
      const pluses = bytes[i + 1] === plus ? 2 : 1;
      const follow = bytes[i + pluses]!;
      if (follow !== plus && word[follow] === 0) {
        h = Math.imul(h ^ plus, prime);
        g = Math.imul(g ^ plus, checkPrime);
        g ^= g >>> 15;
        running[i] = h;
        runningChecks[i] = g;
        if (pluses === 2) {
          h = Math.imul(h ^ plus, prime);
          g = Math.imul(g ^ plus, checkPrime);
          g ^= g >>> 15;
          running[i + 1] = h;
          runningChecks[i + 1] = g;
        }
        i += pluses;
      }
    } else if (c === hash) {
      const follow = bytes[i + 1]!;
      if (follow !== hash && word[follow] === 0) {
        h = Math.imul(h ^ hash, prime);
        g = Math.imul(g ^ hash, checkPrime);
        g ^= g >>> 15;
        running[i] = h;
        runningChecks[i] = g;
        i++;
      }
    }
    starts[count] = start;
    ends[count] = i;
    count++;
  }
  spans.count = count;
}

/** The token rule for any text (TOKEN_PATTERN), without hashes. */
function scanAnyTokens(folded: string, spans: TokenSpans): void {
  const s = folded;
  const n = s.length;
  spans.count = 0;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    let start: number;
    if (c < 128 ? ASCII_WORD[c] === 1 : wordWidth(s, i) > 0) {
      start = i;
    } else if (c === DOT && wordWidth(s, i + 1) > 0 && !wordOrDotBefore(s, i)) {
      start = i;
      i++;
    } else {
      i++;
      continue;
    }
    i = skipRun(s, i);
    while (s.charCodeAt(i) === DOT && wordWidth(s, i + 1) > 0) i = skipRun(s, i + 1);
    const next = s.charCodeAt(i);
    if (next === PLUS) {
      const after = s.charCodeAt(i + 1);
      const count = after === PLUS ? 2 : 1;
      const follow = s.charCodeAt(i + count);
      if (follow !== PLUS && wordWidth(s, i + count) === 0) i += count;
    } else if (next === HASH && s.charCodeAt(i + 1) !== HASH && wordWidth(s, i + 1) === 0) {
      i++;
    }
    pushSpan(spans, start, i);
  }
}

const scratchSpans = createTokenSpans();

/** Splits already folded text into tokens on word boundaries. */
export function tokenize(folded: string): string[] {
  scanTokens(folded, scratchSpans);
  const out: string[] = new Array(scratchSpans.count);
  for (let k = 0; k < scratchSpans.count; k++) out[k] = folded.slice(scratchSpans.starts[k], scratchSpans.ends[k]);
  return out;
}

/** Raw Reddit text (markdown) to folded text, ready for tokenising. */
export function foldedText(raw: string): string {
  return raw === '' ? '' : foldText(plainText(raw));
}

/** Raw Reddit text (markdown) to tokens. */
export function textTokens(raw: string): string[] {
  if (raw === '') return [];
  return tokenize(foldedText(raw));
}

export interface ItemTokens {
  title: string[];
  body: string[];
}

/**
 * The searchable text of an item: title and body of a post, only the body of a comment
 * (a comment's title is its thread's, which the commenter did not write).
 */
export function itemTokens(item: Pick<MatchableItem, 'kind' | 'title' | 'body'>): ItemTokens {
  return {
    title: item.kind === 'post' ? textTokens(item.title) : [],
    body: textTokens(item.body),
  };
}

/** Subreddit and author names compare case-insensitively, without r/ or u/. */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^\/?(?:r|u)\//, '');
}
