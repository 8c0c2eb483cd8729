import type { WordPattern } from './rule-ast.js';

/*
 * A trie over tokens (not characters): one path per distinct term or phrase of every
 * campaign. Scanning walks it from each token of the text, so the cost per item depends on
 * the item's length and the depth of the longest phrase, not on how many patterns exist.
 * Prefix wildcards (`integrat*`) are edges keyed by the prefix, looked up with the
 * beginnings of the token at the lengths that occur, so they cost a few map reads too.
 */

interface TrieNode {
  exact: Map<string, TrieNode> | null;
  prefixes: Map<string, TrieNode> | null;
  /** The distinct lengths of the keys of `prefixes`, ascending. */
  prefixLengths: number[];
  /** Patterns that end at this node. */
  patterns: number[] | null;
}

function newNode(): TrieNode {
  return { exact: null, prefixes: null, prefixLengths: [], patterns: null };
}

export class TokenTrie {
  private readonly root = newNode();
  private maxDepth = 0;

  /** Adds a word sequence that reports `patternId` wherever it occurs. */
  add(words: readonly WordPattern[], patternId: number): void {
    let node = this.root;
    for (const w of words) {
      let map: Map<string, TrieNode>;
      if (w.prefix) {
        if (node.prefixes === null) node.prefixes = new Map();
        map = node.prefixes;
        if (!node.prefixLengths.includes(w.token.length)) {
          node.prefixLengths.push(w.token.length);
          node.prefixLengths.sort((a, b) => a - b);
        }
      } else {
        if (node.exact === null) node.exact = new Map();
        map = node.exact;
      }
      let next = map.get(w.token);
      if (next === undefined) {
        next = newNode();
        map.set(w.token, next);
      }
      node = next;
    }
    if (node.patterns === null) node.patterns = [];
    node.patterns.push(patternId);
    this.maxDepth = Math.max(this.maxDepth, words.length);
  }

  /** Appends to `out` the id of every pattern occurrence in `tokens` (an id may repeat). */
  scan(tokens: readonly string[], out: number[]): void {
    for (let i = 0; i < tokens.length; i++) this.walk(this.root, tokens, i, out);
  }

  private walk(node: TrieNode, tokens: readonly string[], i: number, out: number[]): void {
    const tok = tokens[i]!;
    if (node.exact !== null) {
      const next = node.exact.get(tok);
      if (next !== undefined) this.visit(next, tokens, i, out);
    }
    if (node.prefixes !== null) {
      for (const len of node.prefixLengths) {
        if (len > tok.length) break;
        const next = node.prefixes.get(len === tok.length ? tok : tok.slice(0, len));
        if (next !== undefined) this.visit(next, tokens, i, out);
      }
    }
  }

  private visit(node: TrieNode, tokens: readonly string[], i: number, out: number[]): void {
    if (node.patterns !== null) for (const p of node.patterns) out.push(p);
    if ((node.exact !== null || node.prefixes !== null) && i + 1 < tokens.length) this.walk(node, tokens, i + 1, out);
  }
}
