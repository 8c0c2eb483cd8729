import { describe, expect, it } from 'vitest';
import { createTokenSpans, scanTokens } from './normalize.js';
import type { TokenSymbols } from './token-trie.js';
import { createVocabularyBuilder } from './token-vocabulary.js';

function symbolsOfEachToken(words: { token: string; prefix: boolean }[], text: string): number[][] {
  const builder = createVocabularyBuilder();
  for (const w of words) builder.symbolFor(w);
  const rootStep = new Int32Array(builder.symbolCount() * 2).fill(-1);
  const seed = 0x5eed;
  const placed = builder.place(seed);
  const lookup = placed.freeze(rootStep);
  // Final symbols back to the ones symbolFor gave, which the expectations are written in.
  const given = new Map(Array.from(placed.symbolOf, (final, sym) => [final, sym]));
  const spans = createTokenSpans(2, seed);
  scanTokens(text, spans);
  const size = text.length + spans.count;
  const out: TokenSymbols = {
    starts: new Int32Array(spans.count + 1),
    symbols: new Int32Array(size),
    next: new Int32Array(size),
    pattern: new Int32Array(size),
    tokenCount: 0,
  };
  lookup.symbolize(spans, out);
  const result: number[][] = [];
  for (let k = 0; k < spans.count; k++) {
    const symbols = out.symbols.subarray(out.starts[k], out.starts[k + 1]);
    result.push(Array.from(symbols, (final) => given.get(final) ?? -1).sort((a, b) => a - b));
  }
  return result;
}

describe('token vocabulary', () => {
  it('when a token is a word and starts with wildcard prefixes, then it gets every matching symbol', () => {
    // Symbols in order: crm 0, integrat* 1, integration 2, int* 3, c++ 4.
    const words = [
      { token: 'crm', prefix: false },
      { token: 'integrat', prefix: true },
      { token: 'integration', prefix: false },
      { token: 'int', prefix: true },
      { token: 'c++', prefix: false },
    ];
    expect(symbolsOfEachToken(words, 'crm integration integrate int in crms c++ c')).toEqual([
      [0],
      [1, 2, 3],
      [1, 3],
      [3],
      [],
      [],
      [4],
      [],
    ]);
  });

  it('when long words differ only in their last characters, then only the word itself is found', () => {
    const words = [
      { token: 'supercalifragilisticexpialidocious', prefix: false },
      { token: 'antidisestablishmentarian', prefix: true },
    ];
    expect(
      symbolsOfEachToken(words, 'supercalifragilisticexpialidocious supercalifragilisticexpialidociouz antidisestablishmentarianism antidisestablishmentarion'),
    ).toEqual([[0], [], [1], []]);
  });

  it('when tokens are not plain ASCII, then they are found by their characters alike', () => {
    const words = [
      { token: 'привет', prefix: false },
      { token: 'caf', prefix: true },
    ];
    expect(symbolsOfEachToken(words, 'привет café caf ca')).toEqual([[0], [1], [1], []]);
  });

  it('when a long wildcard shares no shorter wildcard, then tokens starting with it still find it', () => {
    // Lengths 2 and 8: "in" is no wildcard, only the start of integrat*.
    const words = [
      { token: 'ab', prefix: true },
      { token: 'integrat', prefix: true },
    ];
    expect(symbolsOfEachToken(words, 'integrations abc integer in about')).toEqual([[1], [0], [], [], [0]]);
  });

  it('when raw text has capitals, then its tokens are found as their lower case', () => {
    const words = [
      { token: 'crm', prefix: false },
      { token: 'integrat', prefix: true },
    ];
    expect(symbolsOfEachToken(words, 'CRM Integrations crM integra')).toEqual([[0], [1], [0], []]);
  });
});
