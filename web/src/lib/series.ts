/**
 * The API lists only days that had leads; a chart needs every day of the range, zeros
 * included, or a quiet week looks like a busy one. Days are UTC dates (YYYY-MM-DD).
 */
export function fillDays(points: ReadonlyArray<{ day: string; count: number }>, days: number, now: number): { day: string; count: number }[] {
  const byDay = new Map(points.map((p) => [p.day.slice(0, 10), p.count]));
  const out: { day: string; count: number }[] = [];
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(today - i * 86_400_000).toISOString().slice(0, 10);
    out.push({ day, count: byDay.get(day) ?? 0 });
  }
  return out;
}
