import { existsSync } from 'node:fs';
import { importRedditFile } from '../modules/ingest/import.js';
import { createProgressBar } from '../modules/ingest/progress-bar.js';
import type { Lifecycle } from '../platform/lifecycle.js';
import type { QueueSystem } from '../platform/queue/queue.js';
import { buildContainer } from './container.js';
import type { Infrastructure } from './infrastructure.js';

const DRAIN_POLL_MS = 250;

/** Waits until no queue has waiting, delayed or active jobs (the in-process runner dies with this process). */
async function drain(queue: QueueSystem): Promise<void> {
  for (;;) {
    const counts = await queue.counts();
    const busy = Object.values(counts).reduce((n, c) => n + c.waiting + c.active + c.delayed, 0);
    if (busy === 0) return;
    await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
  }
}

/**
 * `subscout import FILE`: stores the file's items and hands them to matching. Distributed:
 * the workers match and score them. Embedded: this process does it before exiting (stop
 * `npm start` first; the embedded database takes one process at a time).
 */
export async function runImport(infra: Infrastructure, lifecycle: Lifecycle, args: string[]): Promise<void> {
  const { UsageError } = await import('./admin-commands.js');
  const path = args[0];
  if (!path) throw new UsageError('usage: subscout import FILE');
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  const container = await buildContainer(infra, lifecycle, { workerName: `import-${process.pid}` });
  if (!infra.env.distributed) await container.startWorkers();

  const bar = createProgressBar({ out: process.stderr, label: 'import' });
  const result = await importRedditFile({
    db: infra.database.db,
    queue: container.queue,
    log: infra.log,
    path,
    onProgress: (p) => bar.update(p.bytesRead, p.totalBytes, `${p.read} read, ${p.inserted} new`),
  });
  bar.done(`${result.read} read, ${result.inserted} new, ${result.duplicate} already stored, ${result.invalid.length} invalid`);
  for (const bad of result.invalid.slice(0, 10)) process.stderr.write(`  line ${bad.line}: ${bad.reason}\n`);
  if (!infra.env.distributed) {
    process.stderr.write('matching and scoring the new items...\n');
    await drain(container.queue);
  }
}
