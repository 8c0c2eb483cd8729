import { BitFilter } from './bit-filter.js';
import { intern } from './intern.js';
import { type TokenSpans, tokenCheck } from './normalize.js';
import { checkHash, hashRange } from './token-hash.js';
import { type Occurrences, pushOccurrence } from './token-trie.js';
import { type FrozenPaths, WordPaths } from './word-paths.js';

/*
 * Phrases of exact words (`"looking for"`, `"best crm for"`), found by the hashes of
 * consecutive tokens: a phrase starts where two tokens' hashes are its first two words',
 * and continues token by token. So a word that campaigns use only inside phrases needs no
 * vocabulary entry, and the common words phrases are made of ("for", "the", "any") cost a
 * token one bit of a small filter instead of a vocabulary slot and a trie step. Phrases
 * with a wildcard word stay in the trie (token-trie.ts), which works on vocabulary symbols.
 *
 * A step is taken when both hashes the tokenizer made of each token it reads (the running
 * hash and the seeded check hash, as in token-vocabulary.ts) agree with its word's: an
 * entry keeps a 32-bit mix of each, so false steps have odds of about 2^-64 per entry
 * compared, as for single words.
 */

// Entries of 4 integers (16 bytes, four to a cache line): at 10,000 campaigns the table
// is 1 MB, and each entry read is a likely cache miss. An enum, so that each use is a
// number literal (see TriggerEntry in matcher-runtime.ts).
enum Entry {
  /** What the table is probed by: pairHash of a phrase's first two words, or stepHash of a node and a word. */
  KEY = 0,
  /** The same words' check hashes, mixed likewise (pairCheck, stepCheck). */
  CHECK = 1,
  /** The node reached, to continue from (-1: no longer phrase goes on from it; EMPTY: a free entry). */
  NEXT = 2,
  /** The phrase that ends here (-1: none). */
  PATTERN = 3,
  SIZE = 4,
  EMPTY = -2,
}

const pairHash = (first: number, second: number) => Math.imul(first, 0x9e3779b1) ^ Math.imul(second ^ (second >>> 15), 0x85ebca6b);
const stepHash = (node: number, hash: number) => Math.imul(node, 0xcc9e2d51) ^ Math.imul(hash ^ (hash >>> 15), 0x1b873593);
const pairCheck = (first: number, second: number) => Math.imul(first, 0x9e3779b1) ^ second;
const stepCheck = (node: number, check: number) => Math.imul(node + 1, 0x85ebca6b) ^ check;

export interface PhraseTable {
  /** Appends to `out` the pattern id of every phrase occurring in `s` (tokens `spans`). */
  scan(spans: TokenSpans, out: Occurrences): void;
}

export function createPhraseTableBuilder() {
  // Word-by-word trie of the phrases, words interned as numbers.
  const paths = new WordPaths();
  const wordIds = new Map<string, number>();
  const words: string[] = [];

  return {
    /** Adds a phrase of two or more exact (folded) words, reported as `patternId`. */
    add: (phrase: readonly string[], patternId: number): void => paths.add(phrase.map((word) => intern(wordIds, word, words)), patternId),

    /** `seed`: the check hashes' seed, which the text's tokens were scanned with. */
    build: (seed: number): PhraseTable => freezePhrases(paths.frozen(), words, seed),
  };
}

function freezePhrases({ edges, hasChildren, nodePattern }: FrozenPaths, words: readonly string[], seed: number): PhraseTable {
  // A phrase's first word, by the node it leads to.
  const firstWord: string[] = [];
  for (const e of edges) if (e.from === 0) firstWord[e.to] = words[e.id]!;
  // Depth-1 nodes (a phrase's first word) are not entries: a pair reaches depth 2 at once.
  const entries = edges.filter((e) => e.from !== 0);
  let capacity = 16;
  while (capacity * 3 < entries.length * 4) capacity *= 2;
  const mask = capacity - 1;
  const table = new Int32Array(capacity * Entry.SIZE);
  for (let at = 0; at < capacity; at++) table[at * Entry.SIZE + Entry.NEXT] = Entry.EMPTY;
  // Most tokens start and continue no phrase: the filter says so without the table.
  const filter = new BitFilter(entries.length);
  const hash = (w: string) => hashRange(w, 0, w.length);
  const check = (w: string) => checkHash(w, 0, w.length, seed);

  for (const e of entries) {
    const word = words[e.id]!;
    const pair = firstWord[e.from] !== undefined;
    const from = pair ? hash(firstWord[e.from]!) : e.from;
    const x = pair ? pairHash(from, hash(word)) : stepHash(from, hash(word));
    const xCheck = pair ? pairCheck(check(firstWord[e.from]!), check(word)) : stepCheck(from, check(word));
    filter.add(x);
    let slot = slotOf(x, mask);
    while (table[slot * Entry.SIZE + Entry.NEXT] !== Entry.EMPTY) slot = (slot + 1) & mask;
    table.set([x, xCheck, hasChildren[e.to] ? e.to : -1, nodePattern[e.to]!], slot * Entry.SIZE);
  }
  return new HashedPhrases(table, mask, filter);
}

const slotOf = (x: number, mask: number) => (x ^ (x >>> 16)) & mask;

/*
 * The frozen table. A class, not closures, so that it stays fast with several matchers in
 * a process (see MatchRuntime in matcher-runtime.ts).
 */
class HashedPhrases implements PhraseTable {
  // The pairs that pass the filter: their second token and key.
  private pairTokens = new Int32Array(256);
  private pairKeys = new Int32Array(256);
  // Keeps the reads made early on purpose (see scan), which the compiler would drop.
  private readonly prefetched = new Int32Array(1);

  constructor(
    private readonly table: Int32Array,
    private readonly mask: number,
    private readonly filter: BitFilter,
  ) {}

  scan(spans: TokenSpans, out: Occurrences): void {
    const n = spans.count;
    if (n < 2) return;
    if (this.pairTokens.length < n) {
      this.pairTokens = new Int32Array(2 * n);
      this.pairKeys = new Int32Array(2 * n);
    }
    const { table, mask, filter, pairTokens, pairKeys } = this;
    const { ends, running } = spans;
    // First the pairs the filter lets through, then their first table reads together (the
    // processor waits for those scattered reads at once, not one after another), then the
    // probes themselves.
    let hits = 0;
    let previous = running[ends[0]! - 1]!;
    for (let k = 1; k < n; k++) {
      const h = running[ends[k]! - 1]!;
      const x = pairHash(previous, h);
      previous = h;
      pairTokens[hits] = k;
      pairKeys[hits] = x;
      hits += filter.has(x);
    }
    let touched = 0;
    for (let i = 0; i < hits; i++) touched |= table[slotOf(pairKeys[i]!, mask) * Entry.SIZE]!;
    this.prefetched[0] = touched;
    for (let i = 0; i < hits; i++) {
      const k = pairTokens[i]!;
      const x = pairKeys[i]!;
      const base = this.find(x, pairCheck(tokenCheck(spans, k - 1), tokenCheck(spans, k)));
      if (base !== -1) this.reached(base, spans, k, out);
    }
  }

  /** Token k took the step at `base`: reports the phrase ending there and goes on. */
  private reached(base: number, spans: TokenSpans, k: number, out: Occurrences): void {
    const pattern = this.table[base + Entry.PATTERN]!;
    if (pattern !== -1) pushOccurrence(out, pattern);
    const next = this.table[base + Entry.NEXT]!;
    if (next === -1 || k + 1 >= spans.count) return;
    const x = stepHash(next, spans.running[spans.ends[k + 1]! - 1]!);
    if (this.filter.has(x) === 0) return;
    const step = this.find(x, stepCheck(next, tokenCheck(spans, k + 1)));
    if (step !== -1) this.reached(step, spans, k + 1, out);
  }

  /** The entry with this key and check (pairHash and pairCheck, or stepHash and stepCheck), or -1. */
  private find(key: number, check: number): number {
    const { table, mask } = this;
    for (let at = slotOf(key, mask); ; at = (at + 1) & mask) {
      const base = at * Entry.SIZE;
      if (table[base + Entry.NEXT] === Entry.EMPTY) return -1;
      if (table[base + Entry.KEY] === key && table[base + Entry.CHECK] === check) return base;
    }
  }
}
