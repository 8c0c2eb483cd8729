import type { Logger } from '../../platform/logger.js';
import { type BuiltMatcher, createMatcherBuilder } from './compile-matcher.js';
import type { MatcherCampaign } from './matcher.types.js';

export interface MatcherProviderDeps {
  loadCampaigns(): Promise<MatcherCampaign[]>;
  currentVersion(): Promise<string>;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
  /** How often the version is read, at most. */
  checkIntervalMs?: number;
  /** Campaigns compiled between two yields to the event loop during a rebuild. */
  chunkSize?: number;
}

export interface MatcherProvider {
  /**
   * The current matcher. The first call waits for the first build; later calls return at
   * once and, at most once per check interval, start a background rebuild when the
   * campaign-set version has changed. The old matcher serves until the new one is ready.
   */
  get(): Promise<BuiltMatcher>;
  /** Waits for any rebuild under way (tests and shutdown). */
  settled(): Promise<void>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createMatcherProvider(deps: MatcherProviderDeps): MatcherProvider {
  const now = deps.now ?? Date.now;
  const interval = deps.checkIntervalMs ?? 1_000;
  const chunkSize = deps.chunkSize ?? 250;
  let current: BuiltMatcher | null = null;
  let first: Promise<BuiltMatcher> | null = null;
  let rebuilding: Promise<void> | null = null;
  let lastCheck = Number.NEGATIVE_INFINITY;

  async function build(version: string): Promise<BuiltMatcher> {
    // The version is read before the campaigns: a change made during the load bumps it
    // again, so the next check rebuilds rather than keeping a stale set under a new label.
    const campaigns = await deps.loadCampaigns();
    const builder = createMatcherBuilder(version);
    for (let i = 0; i < campaigns.length; i++) {
      builder.add(campaigns[i]!);
      if ((i + 1) % chunkSize === 0) await yieldToEventLoop();
    }
    const matcher = builder.build();
    const { stats } = matcher;
    deps.log.info({ version, campaigns: stats.campaigns, rules: stats.rules, atoms: stats.atoms }, 'matcher built');
    if (stats.invalid.length > 0) {
      deps.log.warn({ version, invalid: stats.invalid.slice(0, 20), count: stats.invalid.length }, 'stored rules skipped');
    }
    return matcher;
  }

  async function checkAndRebuild(): Promise<void> {
    const version = await deps.currentVersion();
    if (current !== null && version === current.version) return;
    current = await build(version);
  }

  function maybeRefresh(): void {
    const t = now();
    if (rebuilding !== null || t - lastCheck < interval) return;
    lastCheck = t;
    rebuilding = checkAndRebuild()
      .catch((err: unknown) => {
        // Keep serving the previous matcher; the next check tries again.
        deps.log.error({ err }, 'matcher rebuild failed');
      })
      .finally(() => {
        rebuilding = null;
      });
  }

  return {
    async get() {
      if (current !== null) {
        maybeRefresh();
        return current;
      }
      if (first === null) {
        lastCheck = now();
        first = (async () => {
          const matcher = await build(await deps.currentVersion());
          current = matcher;
          return matcher;
        })();
        // A failed first build must be retried by the next caller, not cached forever.
        first.catch(() => {
          first = null;
        });
      }
      return first;
    },
    async settled() {
      await rebuilding;
    },
  };
}
