/**
 * A progress line for the CLI: redrawn in place on a terminal, a plain line every 10 %
 * elsewhere (CI logs, pipes), so output stays readable both ways.
 */
export function createProgressBar(opts: { out: NodeJS.WriteStream | NodeJS.WritableStream; label: string; width?: number }) {
  const isTty = 'isTTY' in opts.out && opts.out.isTTY === true;
  const width = opts.width ?? 30;
  let lastDecile = -1;
  return {
    update(done: number, total: number, detail = '') {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const pct = Math.floor(ratio * 100);
      if (isTty) {
        const filled = Math.round(ratio * width);
        opts.out.write(`\r${opts.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${detail}`);
        return;
      }
      const decile = Math.floor(pct / 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        opts.out.write(`${opts.label} ${pct}% ${detail}\n`);
      }
    },
    done(summary: string) {
      opts.out.write(`${isTty ? '\r\x1b[2K' : ''}${opts.label} ${summary}\n`);
    },
  };
}
