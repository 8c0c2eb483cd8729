/*
 * The atoms found in one item, with the fields they were found in: one byte per atom of
 * the matcher, indexed by atom, and the list of those set so that clearing touches only
 * them. Trigger checks, rule code and negative keywords ask it about a hundred times an
 * item at 10,000 campaigns; a direct read beat the small hash table it replaced (1-4 %
 * there, bench/README.md), and 100,000 atoms cost 100 KB.
 */

export const IN_TITLE = 1;
export const IN_BODY = 2;

export class FoundAtoms {
  private readonly fields: Uint8Array;
  /** The distinct atoms, in the order they were first found. */
  list = new Int32Array(128);
  count = 0;

  /** `atomCount`: atoms are numbered from 0 to atomCount - 1. */
  constructor(atomCount: number) {
    this.fields = new Uint8Array(atomCount);
  }

  /** Fields (IN_TITLE | IN_BODY) the atom was found in; 0 when absent. */
  fieldsOf(atom: number): number {
    return this.fields[atom]!;
  }

  add(atom: number, field: number): void {
    const had = this.fields[atom]!;
    this.fields[atom] = had | field;
    if (had !== 0) return;
    if (this.count === this.list.length) {
      const grown = new Int32Array(this.count * 2);
      grown.set(this.list);
      this.list = grown;
    }
    this.list[this.count++] = atom;
  }

  clear(): void {
    const { fields, list } = this;
    for (let i = 0; i < this.count; i++) fields[list[i]!] = 0;
    this.count = 0;
  }
}
