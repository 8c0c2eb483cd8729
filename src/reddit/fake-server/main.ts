import { parseArgs } from 'node:util';
import { startFakeReddit } from './server.js';

const USAGE = `Usage: subscout fake-reddit [--port N] (--fixtures | --rate R) [options]

  --port N            listen port (default 8089; 0 picks a free one)
  --fixtures          serve the recorded Reddit responses from ../shared/reddit-fixtures
  --rate R            simulate a live Reddit at R items per second
  --subs a,b,c        subreddits for the simulation (default: saas,startups,smallbusiness)
  --lag MS            maximum index lag of an item in the simulation (default 30000)
  --client-id ID      accepted OAuth client id (default fake-client)
  --client-secret S   accepted secret (default fake-secret; '' for an installed app)
  --budget N          requests per rate-limit window (default 1000)
`;

/** `subscout fake-reddit`: runs until SIGINT/SIGTERM. Returns the closer for callers that embed it. */
export async function runFakeReddit(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<() => Promise<void>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8089' },
      fixtures: { type: 'boolean', default: false },
      rate: { type: 'string' },
      subs: { type: 'string', default: 'saas,startups,smallbusiness' },
      lag: { type: 'string', default: '30000' },
      'client-id': { type: 'string', default: 'fake-client' },
      'client-secret': { type: 'string', default: 'fake-secret' },
      budget: { type: 'string', default: '1000' },
      help: { type: 'boolean', default: false },
    },
  });
  const rate = values.rate === undefined ? undefined : Number(values.rate);
  if (values.help || (!values.fixtures && rate === undefined) || (rate !== undefined && !(rate > 0))) {
    out.write(USAGE);
    return async () => {};
  }
  const fake = await startFakeReddit({
    port: Number(values.port),
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    budget: Number(values.budget),
    fixtures: values.fixtures,
    ...(rate !== undefined
      ? {
          live: {
            itemsPerSecond: rate,
            subreddits: values.subs.split(',').map((s) => s.trim()).filter(Boolean),
            maxLagMs: Number(values.lag),
          },
        }
      : {}),
  });
  out.write(
    `Fake Reddit on ${fake.url} (${fake.store.size()} things${rate ? `, ${rate} items/s` : ''})\n` +
      `  REDDIT_API_URL=${fake.url} REDDIT_AUTH_URL=${fake.url} REDDIT_CLIENT_ID=${values['client-id']} REDDIT_CLIENT_SECRET=${values['client-secret']}\n`,
  );
  const stop = async () => {
    await fake.close();
  };
  const onSignal = () => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return stop;
}
