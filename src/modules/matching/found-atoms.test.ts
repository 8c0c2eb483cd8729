import { describe, expect, it } from 'vitest';
import { FoundAtoms, IN_BODY, IN_TITLE } from './found-atoms.js';

describe('FoundAtoms', () => {
  it('when an atom is found in the title and then the body, then it is listed once with both fields', () => {
    const found = new FoundAtoms(10);
    found.add(7, IN_TITLE);
    found.add(7, IN_BODY);
    found.add(3, IN_BODY);
    expect(Array.from(found.list.subarray(0, found.count))).toEqual([7, 3]);
    expect(found.fieldsOf(7)).toBe(IN_TITLE | IN_BODY);
    expect(found.fieldsOf(3)).toBe(IN_BODY);
    expect(found.fieldsOf(4)).toBe(0);
  });

  it('when an item holds more atoms than the list starts with, then every one is kept and cleared after', () => {
    // Atom ids close together and far apart.
    const atoms = Array.from({ length: 2_000 }, (_, i) => (i % 2 === 0 ? i : i * 499));
    const found = new FoundAtoms(Math.max(...atoms) + 1);
    for (const a of atoms) found.add(a, a % 3 === 0 ? IN_TITLE : IN_BODY);
    expect(found.count).toBe(atoms.length);
    for (const a of atoms) expect(found.fieldsOf(a)).toBe(a % 3 === 0 ? IN_TITLE : IN_BODY);
    found.clear();
    expect(found.count).toBe(0);
    expect(atoms.every((a) => found.fieldsOf(a) === 0)).toBe(true);
    found.add(atoms[5]!, IN_TITLE);
    expect(found.fieldsOf(atoms[5]!)).toBe(IN_TITLE);
    expect(found.fieldsOf(atoms[6]!)).toBe(0);
  });
});
