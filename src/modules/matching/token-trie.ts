import type { WordPattern } from './rule-ast.js';

/*
 * A trie over tokens (not characters): one path per distinct term or phrase of every
 * campaign. Scanning walks it from each token of the text, so the cost per item depends on
 * the item's length and the depth of the longest phrase, not on how many patterns exist.
 *
 * Edges are keyed by small integer symbols: one per distinct exact word and one per
 * distinct wildcard prefix (`integrat*`). A token of the text is resolved once to the
 * symbols it satisfies (its own word, plus every prefix it starts with) and that answer is
 * cached, since the same few thousand words make up most of Reddit; the walk then does
 * integer map reads only.
 */

interface TrieNode {
  next: Map<number, TrieNode> | null;
  /** Patterns that end at this node. */
  patterns: number[] | null;
}

const NO_SYMBOLS: readonly number[] = [];
const MAX_CACHED_TOKENS = 500_000;

export class TokenTrie {
  private readonly root: TrieNode = { next: null, patterns: null };
  private readonly exactSymbols = new Map<string, number>();
  private readonly prefixSymbols = new Map<string, number>();
  /** Distinct prefix lengths, ascending. */
  private prefixLengths: number[] = [];
  private symbolCount = 0;
  private readonly cache = new Map<string, readonly number[]>();

  /** Adds a word sequence that reports `patternId` wherever it occurs. */
  add(words: readonly WordPattern[], patternId: number): void {
    this.cache.clear();
    let node = this.root;
    for (const w of words) {
      const sym = this.symbolFor(w);
      if (node.next === null) node.next = new Map();
      let next = node.next.get(sym);
      if (next === undefined) {
        next = { next: null, patterns: null };
        node.next.set(sym, next);
      }
      node = next;
    }
    if (node.patterns === null) node.patterns = [];
    node.patterns.push(patternId);
  }

  private symbolFor(w: WordPattern): number {
    const table = w.prefix ? this.prefixSymbols : this.exactSymbols;
    let sym = table.get(w.token);
    if (sym === undefined) {
      sym = this.symbolCount++;
      table.set(w.token, sym);
      if (w.prefix && !this.prefixLengths.includes(w.token.length)) {
        this.prefixLengths = [...this.prefixLengths, w.token.length].sort((a, b) => a - b);
      }
    }
    return sym;
  }

  /** The symbols a token of the text satisfies. */
  private symbolsOf(token: string): readonly number[] {
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached;
    let syms: number[] | null = null;
    const exact = this.exactSymbols.get(token);
    if (exact !== undefined) syms = [exact];
    for (const len of this.prefixLengths) {
      if (len > token.length) break;
      const p = this.prefixSymbols.get(len === token.length ? token : token.slice(0, len));
      if (p === undefined) continue;
      if (syms === null) syms = [];
      syms.push(p);
    }
    if (this.cache.size >= MAX_CACHED_TOKENS) this.cache.clear();
    const result = syms ?? NO_SYMBOLS;
    this.cache.set(token, result);
    return result;
  }

  /** Appends to `out` the id of every pattern occurrence in `tokens` (an id may repeat). */
  scan(tokens: readonly string[], out: number[]): void {
    const n = tokens.length;
    if (n === 0) return;
    const syms: (readonly number[])[] = new Array(n);
    for (let i = 0; i < n; i++) syms[i] = this.symbolsOf(tokens[i]!);
    for (let i = 0; i < n; i++) if (syms[i]!.length > 0) this.walk(this.root, syms, i, out);
  }

  private walk(node: TrieNode, syms: readonly (readonly number[])[], i: number, out: number[]): void {
    const next = node.next;
    if (next === null) return;
    for (const s of syms[i]!) {
      const child = next.get(s);
      if (child === undefined) continue;
      if (child.patterns !== null) for (const p of child.patterns) out.push(p);
      if (child.next !== null && i + 1 < syms.length) this.walk(child, syms, i + 1, out);
    }
  }
}
