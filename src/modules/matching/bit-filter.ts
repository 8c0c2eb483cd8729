/*
 * A bit filter with one hash: it answers "never added" for most keys that were not, from
 * memory small enough to stay in cache (16 bits per key, at least 1,024 bits), so the
 * table behind it is read only for keys that may be there. The word and wildcard tables,
 * the wildcard gate, the trie's steps and the phrase table each keep one.
 */
export class BitFilter {
  private readonly words: Uint32Array;
  private readonly mask: number;

  /**
   * `mix`, an odd multiplier, picks a key's bit from its hash: filters probed with the
   * same hashes (a wildcard table and its gate) need different ones.
   */
  constructor(
    keyCount: number,
    private readonly mix = 0x2c1b3c6d,
  ) {
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
    return (Math.imul(hash, this.mix) >>> 7) & this.mask;
  }
}
