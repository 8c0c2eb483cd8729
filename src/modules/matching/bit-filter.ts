/*
 * A bit filter with one hash: it answers "never added" for most keys that were not, from
 * memory small enough to stay in cache (16 bits per key, at least 1,024 bits), so the
 * table behind it is read only for keys that may be there. The exact-word table, the
 * trie's steps and the phrase table each keep one; the wildcard gate (token-vocabulary.ts)
 * is the same idea with two bits per key.
 */
export class BitFilter {
  private readonly words: Uint32Array;
  private readonly mask: number;

  constructor(keyCount: number) {
    let size = 1024;
    while (size < keyCount * 16) size *= 2;
    this.words = new Uint32Array(size / 32);
    this.mask = size - 1;
  }

  add(hash: number): void {
    const bit = this.bit(hash);
    this.words[bit >>> 5]! |= 1 << (bit & 31);
  }

  /** 1 when a key with this hash may have been added, 0 when none was (a number, to add up). */
  has(hash: number): number {
    const bit = this.bit(hash);
    return (this.words[bit >>> 5]! >>> (bit & 31)) & 1;
  }

  private bit(hash: number): number {
    return (Math.imul(hash, 0x2c1b3c6d) >>> 7) & this.mask;
  }
}
