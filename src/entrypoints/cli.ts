import type { Boot } from './boot.js';
import { boot } from './boot.js';
import type { Infrastructure } from './infrastructure.js';
import { openInfrastructure } from './infrastructure.js';
import { isMain } from './is-main.js';

const USAGE = `Usage: subscout <command> [options]

Processes
  start              every role in one process (the default for npm start)
  api                HTTP API and dashboard
  worker             queue workers (WORKER_QUEUES chooses which)
  scraper            the website scraper worker

Data
  migrate            apply database migrations (safe to run from several processes)
  import FILE        ingest Reddit JSON: a listing response, or NDJSON with one post or comment per line
  user create EMAIL [--role admin|member] [--password P] | user password EMAIL | user list
  apikey create EMAIL NAME    print a new API key for a user (shown once)

Development
  fake-reddit [--port N] [--fixtures | --rate R]   a local server speaking Reddit's API
  bench NAME         run a benchmark from bench/ (matcher, ingest, scoring, inbox, lead-quality)
  help               this text
`;

type Command = (args: string[]) => Promise<void>;

/** Runs `fn` on the configured database (migrated) and closes everything after it. */
async function withInfrastructure(name: string, fn: (infra: Infrastructure, b: Boot) => Promise<void>): Promise<void> {
  const b = boot(name);
  const infra = await openInfrastructure(b.env, b.log, b.lifecycle, { migrate: true, processName: name });
  try {
    await fn(infra, b);
  } catch (e) {
    const { UsageError } = await import('./admin-commands.js');
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`subscout: ${e.message}\n`);
    process.exitCode = 2;
  }
  await b.lifecycle.shutdown('done', Number(process.exitCode ?? 0));
}

const commands: Record<string, Command> = {
  start: async () => (await import('./all.js')).runAll(),
  all: async () => (await import('./all.js')).runAll(),
  api: async () => (await import('./api.js')).runApi(),
  worker: async () => (await import('./worker.js')).runWorker(),
  scraper: async () => (await import('./scraper.js')).runScraper(),
  migrate: async () =>
    withInfrastructure('migrate', async () => {
      process.stdout.write('Database is up to date.\n');
    }),
  import: async (args) =>
    withInfrastructure('import', async (infra, b) => {
      const { runImport } = await import('./import-command.js');
      await runImport(infra, b.lifecycle, args);
    }),
  user: async (args) =>
    withInfrastructure('user', async (infra) => {
      const { userCommand } = await import('./admin-commands.js');
      await userCommand(infra.database.db, args, process.stdout);
    }),
  apikey: async (args) =>
    withInfrastructure('apikey', async (infra) => {
      const { apiKeyCommand } = await import('./admin-commands.js');
      await apiKeyCommand(infra.database.db, args, process.stdout);
    }),
  'fake-reddit': async (args) => {
    const { runFakeReddit } = await import('../reddit/fake-server/main.js');
    await runFakeReddit(args);
  },
  bench: async (args) => {
    const { runBench } = await import('../../bench/index.js');
    await runBench(args[0]);
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
