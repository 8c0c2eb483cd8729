/*
 * FNV-1a over UTF-16 code units: the tokenizer hashes each token as it scans it, and the
 * vocabulary hashes its words the same way, so a token is looked up without a second pass
 * over its characters.
 */

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

export function hashRange(s: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}
