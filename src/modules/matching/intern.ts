/**
 * The id of `value` in `ids`, given the next free id (the map's size) when it is new; a
 * new value is also appended to `values`, when given, so `values[id]` reads it back.
 */
export function intern(ids: Map<string, number>, value: string, values?: string[]): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ids.size;
    ids.set(value, id);
    values?.push(value);
  }
  return id;
}
