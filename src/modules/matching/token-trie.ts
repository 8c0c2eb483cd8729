/*
 * A trie over token symbols (see token-vocabulary.ts): one path per distinct term or phrase
 * of every campaign. Scanning walks it from each token of the text, so the cost per item
 * depends on the item's length and the depth of the longest phrase, not on how many
 * patterns exist. Built with maps, then frozen into flat typed arrays: the root's children
 * are an array indexed by symbol (most terms are one word), deeper edges one open-addressing
 * table keyed by (node, symbol).
 */

/** Symbols of each token of a text: token k satisfies `symbols[starts[k] .. starts[k + 1])`. */
export interface TokenSymbols {
  starts: Int32Array;
  symbols: Int32Array;
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

const EDGE_KEY_SPACE = 2 ** 26;

export function createTrieBuilder() {
  // Key node * EDGE_KEY_SPACE + symbol (exact in a double up to 2^27 nodes).
  const edges = new Map<number, number>();
  const nodePattern: number[] = [-1];

  return {
    /** Adds a symbol sequence that reports `patternId` wherever it occurs (once per sequence). */
    add(symbols: readonly number[], patternId: number): void {
      let node = 0;
      for (const sym of symbols) {
        const key = node * EDGE_KEY_SPACE + sym;
        let next = edges.get(key);
        if (next === undefined) {
          next = nodePattern.length;
          nodePattern.push(-1);
          edges.set(key, next);
        }
        node = next;
      }
      nodePattern[node] = patternId;
    },

    build(symbolCount: number): TokenTrie {
      const nodeCount = nodePattern.length;
      const pattern = Int32Array.from(nodePattern);
      const rootChild = new Int32Array(symbolCount).fill(-1);
      const hasChildren = new Uint8Array(nodeCount);
      let deep = 0;
      for (const key of edges.keys()) if (key >= EDGE_KEY_SPACE) deep++;
      let capacity = 16;
      while (capacity < deep * 2) capacity *= 2;
      const mask = capacity - 1;
      const edgeNode = new Int32Array(capacity).fill(-1);
      const edgeSymbol = new Int32Array(capacity);
      const edgeChild = new Int32Array(capacity);
      const slotOf = (node: number, sym: number) => {
        const h = Math.imul(node, 0x9e3779b1) ^ Math.imul(sym, 0x85ebca6b);
        return (h ^ (h >>> 16)) & mask;
      };
      for (const [key, child] of edges) {
        const node = Math.floor(key / EDGE_KEY_SPACE);
        const sym = key - node * EDGE_KEY_SPACE;
        hasChildren[node] = 1;
        if (node === 0) {
          rootChild[sym] = child;
          continue;
        }
        let slot = slotOf(node, sym);
        while (edgeNode[slot] !== -1) slot = (slot + 1) & mask;
        edgeNode[slot] = node;
        edgeSymbol[slot] = sym;
        edgeChild[slot] = child;
      }

      function childOf(node: number, sym: number): number {
        let slot = slotOf(node, sym);
        for (;;) {
          const n = edgeNode[slot]!;
          if (n === -1) return -1;
          if (n === node && edgeSymbol[slot] === sym) return edgeChild[slot]!;
          slot = (slot + 1) & mask;
        }
      }

      function push(out: Occurrences, id: number): void {
        if (out.count === out.ids.length) {
          const grown = new Int32Array(out.count * 2);
          grown.set(out.ids);
          out.ids = grown;
        }
        out.ids[out.count++] = id;
      }

      // Continues a phrase whose first words ended at `node`, from token k on.
      function extend(text: TokenSymbols, node: number, k: number, out: Occurrences): void {
        if (k >= text.tokenCount) return;
        const end = text.starts[k + 1]!;
        for (let j = text.starts[k]!; j < end; j++) {
          const child = childOf(node, text.symbols[j]!);
          if (child === -1) continue;
          if (pattern[child] !== -1) push(out, pattern[child]!);
          if (hasChildren[child] === 1) extend(text, child, k + 1, out);
        }
      }

      return {
        scan(text, out) {
          const { starts, symbols, tokenCount } = text;
          for (let k = 0; k < tokenCount; k++) {
            const end = starts[k + 1]!;
            for (let j = starts[k]!; j < end; j++) {
              const child = rootChild[symbols[j]!]!;
              if (child === -1) continue;
              if (pattern[child] !== -1) push(out, pattern[child]!);
              if (hasChildren[child] === 1) extend(text, child, k + 1, out);
            }
          }
        },
      };
    },
  };
}
