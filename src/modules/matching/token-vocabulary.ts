import type { WordPattern } from './rule-ast.js';
import { hashRange } from './token-hash.js';
import type { TokenSymbols } from './token-trie.js';

/*
 * Every word of every campaign's terms gets a small integer symbol: one per distinct exact
 * word and one per distinct wildcard prefix (`integrat*`). At match time a token of the
 * text is looked up where it lies in the folded string (hash of its characters, then a
 * character compare), and its prefixes are looked up from the same running hash, so
 * matching makes no string per token and needs no cache that grows with what Reddit says.
 */

// Slot layout, 16 integers (one 64-byte cache line).
const SLOT = 16;
const SLOT_HASH = 0;
const SLOT_LENGTH = 1;
const SLOT_SYMBOL = 2;
const SLOT_NEXT = 3;
const SLOT_PATTERN = 4;
const SLOT_OVERFLOW = 5;
const SLOT_CHARS = 6;
/** Characters kept in the slot itself, two per integer; longer keys keep the rest apart. */
const INLINE_CHARS = 2 * (SLOT - SLOT_CHARS);

function slotOf(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}

/*
 * Open-addressing table from strings to symbols, queried by a hash and a character range.
 * A slot holds the key's hash, length, symbol, the trie's first step for the symbol (next
 * node and pattern) and the key's first INLINE_CHARS characters, so a probe for any usual
 * word reads one cache line. A bit filter in front (at least 8 bits per key, one hash)
 * answers most absent keys from memory small enough to stay in cache.
 */
class RangeTable {
  readonly slots: Int32Array;
  private readonly mask: number;
  private readonly filter: Uint32Array;
  private readonly filterMask: number;
  /** Characters of keys past their first INLINE_CHARS, at each slot's SLOT_OVERFLOW. */
  private readonly overflow: Uint16Array;

  /** `rootStep[2 * symbol]` and `[2 * symbol + 1]`: the trie's next node and pattern. */
  constructor(entries: ReadonlyMap<string, number>, rootStep: Int32Array) {
    let capacity = 16;
    while (capacity < entries.size * 1.5) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity * SLOT);
    for (let i = 0; i < capacity; i++) this.slots[i * SLOT + SLOT_LENGTH] = -1;
    const filterBits = Math.max(1024, capacity * 8);
    this.filter = new Uint32Array(filterBits / 32);
    this.filterMask = filterBits - 1;
    let total = 0;
    for (const key of entries.keys()) total += Math.max(0, key.length - INLINE_CHARS);
    this.overflow = new Uint16Array(total);
    let at = 0;
    for (const [key, symbol] of entries) {
      const h = hashRange(key, 0, key.length);
      let slot = slotOf(h, this.mask);
      while (this.slots[slot * SLOT + SLOT_LENGTH] !== -1) slot = (slot + 1) & this.mask;
      const base = slot * SLOT;
      this.slots.set([h, key.length, symbol, rootStep[2 * symbol]!, rootStep[2 * symbol + 1]!, at], base);
      for (let i = 0; i < Math.min(key.length, INLINE_CHARS); i++) {
        this.slots[base + SLOT_CHARS + (i >> 1)]! |= key.charCodeAt(i) << (16 * (i & 1));
      }
      for (let i = INLINE_CHARS; i < key.length; i++) this.overflow[at++] = key.charCodeAt(i);
      const bit = this.filterBit(h);
      this.filter[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  private filterBit(hash: number): number {
    return (Math.imul(hash, 0x2c1b3c6d) >>> 7) & this.filterMask;
  }

  /** Where the slot of `s.slice(start, end)`, whose hash is `hash`, starts, or -1. */
  find(s: string, start: number, end: number, hash: number): number {
    const bit = this.filterBit(hash);
    if ((this.filter[bit >>> 5]! & (1 << (bit & 31))) === 0) return -1;
    const len = end - start;
    const slots = this.slots;
    let slot = slotOf(hash, this.mask);
    for (;;) {
      const base = slot * SLOT;
      const slotLen = slots[base + SLOT_LENGTH]!;
      if (slotLen === -1) return -1;
      if (slotLen === len && slots[base + SLOT_HASH] === hash && this.sameChars(s, start, len, base)) return base;
      slot = (slot + 1) & this.mask;
    }
  }

  private sameChars(s: string, start: number, len: number, base: number): boolean {
    const slots = this.slots;
    const inline = Math.min(len, INLINE_CHARS);
    for (let i = 0; i < inline; i++) {
      if (((slots[base + SLOT_CHARS + (i >> 1)]! >>> (16 * (i & 1))) & 0xffff) !== s.charCodeAt(start + i)) return false;
    }
    const at = slots[base + SLOT_OVERFLOW]! - INLINE_CHARS;
    for (let i = INLINE_CHARS; i < len; i++) if (this.overflow[at + i] !== s.charCodeAt(start + i)) return false;
    return true;
  }
}

export interface TokenLookup {
  readonly symbolCount: number;
  /**
   * Writes to `out` from `at` the symbols the token `s.slice(start, end)` satisfies (each
   * prefix it starts with, then its own word), with the trie's first step for each, and
   * returns how many it wrote. `running` holds the token's running hashes (TokenSpans).
   * `out` must have room for `end - start + 1` more.
   */
  symbolsOf(s: string, start: number, end: number, running: Int32Array, out: TokenSymbols, at: number): number;
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

    /** `rootStep` as in TokenTrie. */
    build: (rootStep: Int32Array): TokenLookup => freezeVocabulary(exact, prefix, symbolCount, rootStep),
  };
}

// A top-level function, so the lookup's closures do not keep the builder's maps alive.
function freezeVocabulary(
  exact: ReadonlyMap<string, number>,
  prefix: ReadonlyMap<string, number>,
  symbolCount: number,
  rootStep: Int32Array,
): TokenLookup {
  const exactTable = new RangeTable(exact, rootStep);
  const prefixTable = new RangeTable(prefix, rootStep);
  const copy = (slots: Int32Array, base: number, out: TokenSymbols, at: number) => {
    out.symbols[at] = slots[base + SLOT_SYMBOL]!;
    out.next[at] = slots[base + SLOT_NEXT]!;
    out.pattern[at] = slots[base + SLOT_PATTERN]!;
  };
  // The lengths of the wildcards' prefixes, shortest first.
  const prefixLengths = Int32Array.from(new Set([...prefix.keys()].map((p) => p.length))).sort();
  return {
    symbolCount,
    symbolsOf(s, start, end, running, out, at) {
      let n = 0;
      const length = end - start;
      for (let p = 0; p < prefixLengths.length; p++) {
        const prefixLength = prefixLengths[p]!;
        if (prefixLength > length) break;
        const base = prefixTable.find(s, start, start + prefixLength, running[start + prefixLength - 1]!);
        if (base !== -1) copy(prefixTable.slots, base, out, at + n++);
      }
      const base = exactTable.find(s, start, end, running[end - 1]!);
      if (base !== -1) copy(exactTable.slots, base, out, at + n++);
      return n;
    },
  };
}

