/*
 * A word trie's paths while a matcher is built: each sequence of ids added (vocabulary
 * symbols for the trie, interned words for the phrase table) is a path from node 0, and
 * the node where it ends carries its pattern. token-trie.ts and phrase-table.ts each
 * freeze the paths into their own layout.
 */

// An edge's key is from * KEY_SPACE + id: exact in a double up to 2^27 nodes.
const KEY_SPACE = 2 ** 26;

export interface PathEdge {
  from: number;
  id: number;
  to: number;
}

export class WordPaths {
  private readonly children = new Map<number, number>();
  private readonly nodePattern: number[] = [-1];

  /** Adds a path of ids (each below 2^26) that reports `patternId` where it ends. */
  add(ids: readonly number[], patternId: number): void {
    let node = 0;
    for (const id of ids) {
      const key = node * KEY_SPACE + id;
      let next = this.children.get(key);
      if (next === undefined) {
        next = this.nodePattern.length;
        this.nodePattern.push(-1);
        this.children.set(key, next);
      }
      node = next;
    }
    this.nodePattern[node] = patternId;
  }

  /** The paths as the freezing code reads them. */
  frozen(): FrozenPaths {
    const edges = Array.from(this.children, ([key, to]) => {
      const from = Math.floor(key / KEY_SPACE);
      return { from, id: key - from * KEY_SPACE, to };
    });
    const hasChildren = new Uint8Array(this.nodePattern.length);
    for (const e of edges) hasChildren[e.from] = 1;
    return { edges, hasChildren, nodePattern: this.nodePattern };
  }
}

export interface FrozenPaths {
  /** Every edge, in the order they were made. */
  edges: readonly PathEdge[];
  /** 1 for each node that a longer path goes on from, 0 for the others. */
  hasChildren: Uint8Array;
  /** The pattern that ends at each node (-1: none); node 0 is the root. */
  nodePattern: readonly number[];
}
