import type { WordPattern } from './rule-ast.js';
import { BitFilter } from './bit-filter.js';
import { checkFinish, checkHash, hashRange } from './token-hash.js';
import type { TokenSpans } from './normalize.js';
import type { TokenSymbols } from './token-trie.js';

/*
 * Every word of every campaign's terms outside exact phrases (those are found by token
 * pairs, phrase-table.ts) is found by the token's hash: one entry per distinct exact word
 * and one per distinct wildcard prefix (`integrat*`). At match time a token of the text is
 * looked up where it lies in the text by the two hashes the tokenizer made of it (a
 * running hash, and a second, seeded hash of its characters), and its prefixes are looked
 * up from the same running hash, so matching makes no string per token and needs no cache
 * that grows with what Reddit says.
 *
 * The two hashes are 64 bits together: a token is taken for a word when both equal the
 * word's. For text that is not the word, that happens with odds of about 2^-64 per slot
 * compared: at 100 items a second, 130 tokens an item and a few probes a token, once in
 * millions of years. The second hash's seed is drawn at every build, so no text can be
 * written to collide: it is the matcher's, which the tokenizer is given (TokenSpans).
 * Comparing characters instead needs them in the table, which made it four times larger
 * (8 MB at 10,000 campaigns when slots were half full, past the caches; see bench/README.md).
 */

// Slot layout, 4 integers (16 bytes, four to a cache line): all that a found token needs.
// An enum, so that each use is a number literal (see TriggerEntry in matcher-runtime.ts).
enum Slot {
  HASH = 0,
  CHECK = 1,
  /** The trie's first step for the word (FrozenTrie.rootStep), or EMPTY for a free slot. */
  NEXT = 2,
  PATTERN = 3,
  SIZE = 4,
  EMPTY = -2,
}

/*
 * Up to 82 % full. Absent words mostly stop at the filter, and a word found takes about
 * three probes, in the same or the next cache line; half full doubled the table to 2 MB at
 * 10,000 campaigns, and the extra cache misses cost 4-5 % of matching there.
 */
const MAX_LOAD = 0.82;

function slotOf(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}

/*
 * Open-addressing table from strings to slots, queried by two hashes; a word's symbol is
 * its slot number (plus the table's first symbol). Lookups ask a filter first (WordLookup):
 * most tokens are no campaign's word outside phrases, and most prefixes tried are absent.
 */
class HashedWordTable {
  readonly slots: Int32Array;
  private readonly mask: number;

  constructor(
    keyCount: number,
    readonly seed: number,
  ) {
    let capacity = 16;
    while (capacity * MAX_LOAD < keyCount) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity * Slot.SIZE);
    for (let i = 0; i < capacity; i++) this.slots[i * Slot.SIZE + Slot.NEXT] = Slot.EMPTY;
  }

  /** Places `key`, returning its slot number; the trie's step is set later (setStep). */
  place(key: string): number {
    const h = hashRange(key, 0, key.length);
    let slot = slotOf(h, this.mask);
    while (this.slots[slot * Slot.SIZE + Slot.NEXT] !== Slot.EMPTY) slot = (slot + 1) & this.mask;
    const base = slot * Slot.SIZE;
    this.slots[base + Slot.HASH] = h;
    this.slots[base + Slot.CHECK] = checkHash(key, 0, key.length, this.seed);
    this.slots[base + Slot.NEXT] = -1;
    this.slots[base + Slot.PATTERN] = -1;
    return slot;
  }

  setStep(slot: number, next: number, pattern: number): void {
    this.slots[slot * Slot.SIZE + Slot.NEXT] = next;
    this.slots[slot * Slot.SIZE + Slot.PATTERN] = pattern;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /**
   * Where the slot of the word of `length` characters whose running hash and running
   * check hash (TokenSpans) are these starts, or -1. Asked only past a filter, so the check
   * hash is finished only for real candidates.
   */
  find(hash: number, runningCheck: number, length: number): number {
    const check = checkFinish(runningCheck, length);
    const slots = this.slots;
    let slot = slotOf(hash, this.mask);
    for (;;) {
      const base = slot * Slot.SIZE;
      if (slots[base + Slot.NEXT] === Slot.EMPTY) return -1;
      if (slots[base + Slot.HASH] === hash && slots[base + Slot.CHECK] === check) return base;
      slot = (slot + 1) & this.mask;
    }
  }
}

export interface TokenLookup {
  /**
   * Fills `out` with the symbols each token (`spans`, scanned with this vocabulary's seed)
   * satisfies (each prefix it starts with, then its own word), with the trie's first step
   * for each, and returns how many there are. `out` must have room for one more token
   * start than there are tokens, and for one symbol per character and token.
   */
  symbolize(spans: TokenSpans, out: TokenSymbols): number;
}

/** The vocabulary's words in their tables; symbols are final from here on. */
export interface PlacedVocabulary {
  /** The final symbol of each symbol that symbolFor gave. */
  readonly symbolOf: Int32Array;
  /** `rootStep` as in FrozenTrie, indexed by the symbols symbolFor gave. */
  freeze(rootStep: Int32Array): TokenLookup;
}

export function createVocabularyBuilder() {
  const exact = new Map<string, number>();
  const prefix = new Map<string, number>();
  let symbolCount = 0;

  return {
    symbolCount: () => symbolCount,

    symbolFor(w: WordPattern): number {
      const table = w.prefix ? prefix : exact;
      let sym = table.get(w.token);
      if (sym === undefined) {
        sym = symbolCount++;
        table.set(w.token, sym);
      }
      return sym;
    },

    /**
     * Places every word in its table. A word's final symbol is where it lies, so a found
     * token's slot is all the matcher reads of it; the trie is then built on final symbols.
     */
    place: (seed: number): PlacedVocabulary => placeVocabulary(exact, prefix, symbolCount, seed),
  };
}

// A top-level function, so the lookup's closures do not keep the builder's maps alive.
function placeVocabulary(exact: ReadonlyMap<string, number>, prefix: ReadonlyMap<string, number>, symbolCount: number, seed: number): PlacedVocabulary {
  const exactTable = new HashedWordTable(exact.size, seed);
  const prefixTable = new HashedWordTable(prefix.size, seed);
  const exactFilter = new BitFilter(exact.size);
  for (const key of exact.keys()) exactFilter.add(hashRange(key, 0, key.length));
  // Exact words' symbols are their slots; wildcards' follow, from prefixOffset.
  const prefixOffset = exactTable.capacity;
  const symbolOf = new Int32Array(symbolCount);
  for (const [key, sym] of exact) symbolOf[sym] = exactTable.place(key);
  for (const [key, sym] of prefix) symbolOf[sym] = prefixOffset + prefixTable.place(key);
  // The lengths of the wildcards' prefixes, shortest first.
  const prefixLengths = Int32Array.from(new Set([...prefix.keys()].map((p) => p.length))).sort();
  const gate = new WildcardGate([...prefix.keys()], prefixLengths);

  return {
    symbolOf,
    freeze(rootStep) {
      const stepOf = (sym: number) => [rootStep[2 * sym]!, rootStep[2 * sym + 1]!] as const;
      for (const sym of exact.values()) exactTable.setStep(symbolOf[sym]!, ...stepOf(sym));
      for (const sym of prefix.values()) prefixTable.setStep(symbolOf[sym]! - prefixOffset, ...stepOf(sym));
      return new WordLookup(exactTable, exactFilter, prefixTable, prefixLengths, gate);
    },
  };
}

/** Gate answers: a wildcard ends at this length, a longer one goes on from it. */
enum Wildcard {
  HERE = 1,
  LONGER = 2,
}

/**
 * A filter, by running hash, of every wildcard prefix and of each shorter start of one at
 * the wildcard lengths, with two bits side by side per start: Wildcard.HERE when a
 * wildcard is that start, Wildcard.LONGER when a longer one begins with it. A token is
 * tried at the wildcard lengths shortest first: the table is read only where a wildcard
 * may end, and the search stops where none goes on, so most tokens take one probe of this
 * filter, which answers both questions with one read.
 */
class WildcardGate {
  private readonly words: Uint32Array;
  private readonly mask: number;

  constructor(prefixes: readonly string[], prefixLengths: Int32Array) {
    const answers = new Map<string, number>();
    const mark = (start: string, answer: number) => answers.set(start, (answers.get(start) ?? 0) | answer);
    for (const key of prefixes) {
      mark(key, Wildcard.HERE);
      for (const length of prefixLengths) if (length < key.length) mark(key.slice(0, length), Wildcard.LONGER);
    }
    // 16 places (pairs of bits) per start, as BitFilter gives 16 bits per key.
    let size = 2048;
    while (size < answers.size * 32) size *= 2;
    this.words = new Uint32Array(size / 32);
    this.mask = size - 2;
    for (const [start, answer] of answers) {
      const bit = this.bit(hashRange(start, 0, start.length));
      this.words[bit >>> 5]! |= answer << (bit & 31);
    }
  }

  /** Wildcard.HERE and Wildcard.LONGER, each set when it may hold and clear when it does not. */
  answer(hash: number): number {
    const bit = this.bit(hash);
    return (this.words[bit >>> 5]! >>> (bit & 31)) & 3;
  }

  // An even bit: its pair never straddles two words.
  private bit(hash: number): number {
    return (Math.imul(hash, 0x27d4eb2f) >>> 7) & this.mask;
  }
}

/*
 * A class, not closures, so that it stays fast with several matchers in a process (see
 * MatchRuntime in matcher-runtime.ts).
 */
class WordLookup implements TokenLookup {
  private readonly prefixOffset: number;
  private readonly shortestPrefix: number;

  constructor(
    private readonly exactTable: HashedWordTable,
    private readonly exactFilter: BitFilter,
    private readonly prefixTable: HashedWordTable,
    private readonly prefixLengths: Int32Array,
    private readonly gate: WildcardGate,
  ) {
    this.prefixOffset = exactTable.capacity;
    this.shortestPrefix = prefixLengths.length > 0 ? prefixLengths[0]! : Number.MAX_SAFE_INTEGER;
  }

  symbolize(spans: TokenSpans, out: TokenSymbols): number {
    // Fields as locals: this loop runs for every token of every item.
    const { exactTable, exactFilter, prefixTable, prefixLengths, gate, prefixOffset, shortestPrefix } = this;
    const { starts, ends, running, runningChecks, count } = spans;
    const tokenStarts = out.starts;
    let at = 0;
    for (let k = 0; k < count; k++) {
      tokenStarts[k] = at;
      const start = starts[k]!;
      const end = ends[k]!;
      if (end - start >= shortestPrefix) {
        for (let p = 0; p < prefixLengths.length; p++) {
          const length = prefixLengths[p]!;
          if (start + length > end) break;
          const hash = running[start + length - 1]!;
          const answer = gate.answer(hash);
          if ((answer & Wildcard.HERE) !== 0) {
            const base = prefixTable.find(hash, runningChecks[start + length - 1]!, length);
            if (base !== -1) at = addSymbol(out, at, prefixTable.slots, base, prefixOffset);
          }
          if ((answer & Wildcard.LONGER) === 0) break;
        }
      }
      const wordHash = running[end - 1]!;
      if (exactFilter.has(wordHash) === 0) continue;
      const base = exactTable.find(wordHash, runningChecks[end - 1]!, end - start);
      if (base !== -1) at = addSymbol(out, at, exactTable.slots, base, 0);
    }
    tokenStarts[count] = at;
    out.tokenCount = count;
    return at;
  }
}

/** Writes the symbol of the word at `base` of `slots` (its slot plus `offset`) and its first step at `at`. */
function addSymbol(out: TokenSymbols, at: number, slots: Int32Array, base: number, offset: number): number {
  out.symbols[at] = offset + (base / Slot.SIZE);
  out.next[at] = slots[base + Slot.NEXT]!;
  out.pattern[at] = slots[base + Slot.PATTERN]!;
  return at + 1;
}
