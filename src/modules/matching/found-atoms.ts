/*
 * The atoms found in one item, with the fields they were found in. An item holds a few
 * dozen, so a small open-addressing table stays in the CPU's nearest cache, where an array
 * indexed by atom (one entry per term of every campaign) would miss on most reads.
 */

export const IN_TITLE = 1;
export const IN_BODY = 2;

export class FoundAtoms {
  private keys = new Int32Array(256).fill(-1);
  private fields = new Uint8Array(256);
  private mask = 255;
  /** The distinct atoms, in the order they were first found. */
  list = new Int32Array(128);
  count = 0;

  private slot(atom: number): number {
    let slot = Math.imul(atom, 0x9e3779b1) >>> 0;
    slot = (slot ^ (slot >>> 16)) & this.mask;
    for (;;) {
      const k = this.keys[slot]!;
      if (k === atom || k === -1) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Fields (IN_TITLE | IN_BODY) the atom was found in; 0 when absent. */
  fieldsOf(atom: number): number {
    const slot = this.slot(atom);
    return this.keys[slot] === atom ? this.fields[slot]! : 0;
  }

  add(atom: number, field: number): void {
    const slot = this.slot(atom);
    if (this.keys[slot] === atom) {
      this.fields[slot]! |= field;
      return;
    }
    this.keys[slot] = atom;
    this.fields[slot] = field;
    if (this.count === this.list.length) {
      const grown = new Int32Array(this.count * 2);
      grown.set(this.list);
      this.list = grown;
    }
    this.list[this.count++] = atom;
    if (this.count * 2 > this.mask) this.rehash();
  }

  clear(): void {
    // Filling the whole small table is cheaper than finding each key again.
    if (this.count > 0) this.keys.fill(-1);
    this.count = 0;
  }

  private rehash(): void {
    const oldKeys = this.keys;
    const oldFields = this.fields;
    const capacity = oldKeys.length * 2;
    this.keys = new Int32Array(capacity).fill(-1);
    this.fields = new Uint8Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] === -1) continue;
      const slot = this.slot(oldKeys[i]!);
      this.keys[slot] = oldKeys[i]!;
      this.fields[slot] = oldFields[i]!;
    }
  }
}
