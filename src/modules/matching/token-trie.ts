import { BitFilter } from './bit-filter.js';
import { type FrozenPaths, WordPaths } from './word-paths.js';

/*
 * A trie over token symbols (see token-vocabulary.ts): one path per distinct word, wildcard
 * or phrase with a wildcard word of every campaign (phrases of exact words are found by
 * token pairs, phrase-table.ts). Scanning walks it from each token of the text, so the
 * cost per item depends on the item's length and the depth of the longest phrase, not on
 * how many patterns exist. Built with maps, then frozen into flat typed arrays: the root's
 * children are an array indexed by symbol (most of these terms are one word), deeper edges
 * one open-addressing table keyed by (node, symbol).
 */

/**
 * Symbols of each token of a text: token k satisfies `symbols[starts[k] .. starts[k + 1])`.
 * Beside each symbol, the trie's first step for it (FrozenTrie.rootStep), copied when the
 * token is looked up so the walk need not read it again.
 */
export interface TokenSymbols {
  starts: Int32Array;
  symbols: Int32Array;
  next: Int32Array;
  pattern: Int32Array;
  tokenCount: number;
}

/** A growable list of pattern occurrences, reused from item to item. */
export interface Occurrences {
  ids: Int32Array;
  count: number;
}

export interface TokenTrie {
  /** Appends to `out` the id of every pattern occurrence in the text (an id may repeat). */
  scan(text: TokenSymbols, out: Occurrences): void;
}

export interface FrozenTrie {
  trie: TokenTrie;
  /**
   * The first step for each symbol s: at 2s the node a phrase starting with s continues
   * from (-1: none), at 2s + 1 the pattern that s alone is (-1: none). Only the build
   * reads it (the vocabulary copies each word's step into its slot), so the trie does not
   * keep it.
   */
  rootStep: Int32Array;
}

export function createTrieBuilder() {
  const paths = new WordPaths();

  return {
    /** Adds a symbol sequence that reports `patternId` wherever it occurs (once per sequence). */
    add: (symbols: readonly number[], patternId: number): void => paths.add(symbols, patternId),

    /**
     * `symbolOf` maps the symbols given to add() to the vocabulary's final ones, which the
     * text's tokens carry (TokenSymbols); rootStep stays indexed by the symbols given.
     */
    build: (symbolOf: Int32Array): FrozenTrie => freezeTrie(paths.frozen(), symbolOf),
  };
}

// A top-level function, so the frozen trie does not keep the builder's paths alive.
function freezeTrie({ edges, hasChildren, nodePattern }: FrozenPaths, symbolOf: Int32Array): FrozenTrie {
  const symbolCount = symbolOf.length;
  const deep = edges.filter((e) => e.from !== 0).length;
  // A step lands on [next, pattern]: the node to continue from (-1 when nothing longer
  // starts there) and the pattern ending there (-1 for none), side by side in memory.
  const root = new Int32Array(symbolCount * 2).fill(-1);
  // Three quarters full at most: the filter below keeps most probes off the table, and a
  // smaller table keeps more of the real steps in cache.
  let capacity = 16;
  while (capacity * 3 < deep * 4) capacity *= 2;
  const mask = capacity - 1;
  // Edge slots: [node, symbol, next, pattern]; node -1 marks an empty slot.
  const table = new Int32Array(capacity * 4).fill(-1);
  // Most steps past a phrase's first word fail (the next token continues no phrase): the
  // filter answers those without reading the edge table.
  const filter = new BitFilter(deep);
  for (const { from: node, id: sym, to: child } of edges) {
    const next = hasChildren[child] === 1 ? child : -1;
    if (node === 0) {
      root[sym * 2] = next;
      root[sym * 2 + 1] = nodePattern[child]!;
      continue;
    }
    const final = symbolOf[sym]!;
    const hash = edgeHash(node, final);
    filter.add(hash);
    let slot = edgeSlot(hash, mask);
    while (table[slot * 4] !== -1) slot = (slot + 1) & mask;
    table.set([node, final, next, nodePattern[child]!], slot * 4);
  }

  return { trie: new SymbolTrie(table, mask, filter), rootStep: root };
}

const edgeHash = (node: number, sym: number) => Math.imul(node, 0x9e3779b1) ^ Math.imul(sym, 0x85ebca6b);
const edgeSlot = (hash: number, mask: number) => (hash ^ (hash >>> 16)) & mask;

/*
 * The frozen trie. A class, not closures, so that it stays fast with several matchers in
 * a process (see MatchRuntime in matcher-runtime.ts).
 */
class SymbolTrie implements TokenTrie {
  constructor(
    private readonly table: Int32Array,
    private readonly mask: number,
    private readonly filter: BitFilter,
  ) {}

  scan(text: TokenSymbols, out: Occurrences): void {
    const { starts, tokenCount, pattern, next } = text;
    for (let k = 0; k < tokenCount; k++) {
      const end = starts[k + 1]!;
      for (let j = starts[k]!; j < end; j++) {
        if (pattern[j] !== -1) pushOccurrence(out, pattern[j]!);
        if (next[j] !== -1) this.extend(text, next[j]!, k + 1, out);
      }
    }
  }

  // Continues a phrase whose first words ended at `node`, from token k on.
  private extend(text: TokenSymbols, node: number, k: number, out: Occurrences): void {
    if (k >= text.tokenCount) return;
    const { table, mask, filter } = this;
    const end = text.starts[k + 1]!;
    for (let j = text.starts[k]!; j < end; j++) {
      const sym = text.symbols[j]!;
      const hash = edgeHash(node, sym);
      if (filter.has(hash) === 0) continue;
      for (let slot = edgeSlot(hash, mask); ; slot = (slot + 1) & mask) {
        const base = slot * 4;
        const n = table[base]!;
        if (n === -1) break;
        if (n === node && table[base + 1] === sym) {
          const pattern = table[base + 3]!;
          if (pattern !== -1) pushOccurrence(out, pattern);
          const next = table[base + 2]!;
          if (next !== -1) this.extend(text, next, k + 1, out);
          break;
        }
      }
    }
  }
}

/** Appends a pattern id to a list of occurrences, growing it when full. */
export function pushOccurrence(out: Occurrences, id: number): void {
  if (out.count === out.ids.length) {
    const grown = new Int32Array(out.count * 2);
    grown.set(out.ids);
    out.ids = grown;
  }
  out.ids[out.count++] = id;
}
