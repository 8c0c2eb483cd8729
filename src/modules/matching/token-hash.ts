/*
 * FNV-1a over UTF-16 code units, ASCII capitals taken as lower case: the tokenizer hashes
 * each token of raw or folded text as it scans it, and the vocabulary hashes its words the
 * same way, so a token is looked up without a second pass over its characters.
 */

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;
export const CHECK_PRIME = 0x5bd1e995;

/** The character code with an ASCII capital as its lower case; any other code unchanged. */
export function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

export function hashRange(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ lowerAscii(s.charCodeAt(i)), FNV_PRIME);
  return h;
}

/**
 * A second 32-bit hash of the same characters, independent of hashRange and seeded:
 * together with it, a token's 64-bit identity in the vocabulary (token-vocabulary.ts).
 * ASCII capitals count as lower case, as in hashRange.
 */
export function checkHash(s: string, start: number, end: number, seed: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = checkStep(h, lowerAscii(s.charCodeAt(i)));
  return checkFinish(h, end - start);
}

/** One character into a running check hash, which starts at the seed (see scanRawText). */
export function checkStep(h: number, c: number): number {
  const m = Math.imul(h ^ c, CHECK_PRIME);
  return m ^ (m >>> 15);
}

/** The check hash of `length` characters from their running check hash. */
export function checkFinish(running: number, length: number): number {
  let h = running ^ Math.imul(length, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
