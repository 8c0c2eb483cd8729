import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `npm run bench -- <name>` runs bench/<name>.bench.ts; its last printed line is the summary. */
export async function runBench(name: string | undefined): Promise<void> {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const available = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length));
  if (!name || !available.includes(name)) {
    process.stderr.write(`Usage: npm run bench -- <name>\nAvailable: ${available.join(', ') || '(none yet)'}\n`);
    process.exitCode = 2;
    return;
  }
  const mod = (await import(`./${name}.bench.ts`)) as { default: (args: string[]) => Promise<void> };
  await mod.default(process.argv.slice(3));
}

const invoked = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invoked) await runBench(process.argv[2]);
