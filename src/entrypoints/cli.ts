import { boot } from './boot.js';
import { openInfrastructure } from './infrastructure.js';
import { isMain } from './is-main.js';

const USAGE = `Usage: subscout <command> [options]

Processes
  start              every role in one process (the default for npm start)
  api                HTTP API only
  worker             queue workers (WORKER_QUEUES chooses which)
  scraper            the website scraper worker

Maintenance
  migrate            apply database migrations (safe to run from several processes)
  bench <name>       run a benchmark from bench/ (e.g. matcher, ingest, scoring)
  fake-reddit        a local server speaking Reddit's API (fixtures or a live simulation), for tests and staging
  help               this text
`;

type Command = (args: string[]) => Promise<void>;

const commands: Record<string, Command> = {
  start: async () => (await import('./all.js')).runAll(),
  all: async () => (await import('./all.js')).runAll(),
  api: async () => (await import('./api.js')).runApi(),
  worker: async () => (await import('./worker.js')).runWorker(),
  scraper: async () => (await import('./scraper.js')).runScraper(),
  migrate: async () => {
    const { env, log, lifecycle } = boot('migrate');
    await openInfrastructure(env, log, lifecycle, { migrate: true });
    process.stdout.write('Database is up to date.\n');
    await lifecycle.shutdown('done');
  },
  bench: async (args) => {
    const { runBench } = await import('../../bench/index.js');
    await runBench(args[0]);
  },
  'fake-reddit': async (args) => {
    const { runFakeReddit } = await import('../reddit/fake-server/main.js');
    await runFakeReddit(args);
  },
  help: async () => {
    process.stdout.write(USAGE);
  },
};

export async function runCli(argv: string[]): Promise<void> {
  // Each command parses its own flags, so the rest of argv is passed through untouched.
  const [name = 'help', ...rest] = argv;
  const command = commands[name];
  if (!command) {
    process.stderr.write(`subscout: unknown command "${name}"\n\n${USAGE}`);
    process.exit(2);
  }
  await command(rest);
}

if (isMain(import.meta.url)) await runCli(process.argv.slice(2));
