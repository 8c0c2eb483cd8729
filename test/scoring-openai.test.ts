import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/platform/logger.js';
import { createLocalScorer } from '../src/modules/scoring/local-scorer.js';
import { createOpenAiScorer, type OpenAiScorerOptions } from '../src/modules/scoring/openai-scorer.js';
import type { ScoreCandidate } from '../src/modules/scoring/scoring.types.js';
import { type FakeOpenAi, startFakeOpenAi } from './helpers/fake-openai.js';

const log = createLogger({ level: 'silent', pretty: false });
const profile = {
  campaignId: '00000000-0000-4000-8000-000000000001',
  version: 3,
  productName: 'Syncbox',
  productDescription: 'Self-hosted file sync and backup for small teams.',
  leadContext: 'People replacing Dropbox or looking for a sync tool.',
};

function candidates(n: number, prefix = 'k'): ScoreCandidate[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `${prefix}${i}`,
    profile,
    matchedTerms: ['dropbox'],
    item: {
      fullname: `t3_${prefix}${i}`,
      kind: 'post' as const,
      subreddit: 'software',
      title: i % 2 === 0 ? `Dropbox alternative for my team? (${i})` : `Dropbox released version ${i}`,
      body: i % 2 === 0 ? 'Looking for a sync tool we can host ourselves.' : 'Release notes inside.',
    },
  }));
}

describe('OpenAI-compatible scorer against a local chat-completions server', () => {
  let fake: FakeOpenAi;
  let sleeps: number[];
  const make = (over: Partial<OpenAiScorerOptions> = {}) =>
    createOpenAiScorer({
      baseUrl: fake.baseUrl,
      apiKey: 'sk-test',
      model: 'gpt-test',
      timeoutMs: 2_000,
      batchSize: 10,
      fallback: createLocalScorer(),
      log,
      attempts: 3,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      ...over,
    });

  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.setDefault('good');
    sleeps = [];
  });

  it('when a batch is scored, then the request carries model, system and user messages and a strict JSON schema', async () => {
    const { results, usage } = await make().scoreBatch(candidates(2));
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.body.model).toBe('gpt-test');
    expect(req.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(req.body.response_format?.type).toBe('json_schema');
    expect(req.body.response_format?.json_schema?.strict).toBe(true);
    expect(req.body.response_format?.json_schema?.name).toBe('lead_scores');
    const user = JSON.parse(req.body.messages[1]!.content) as { campaigns: { product: string }[]; items: { id: string }[] };
    expect(user.campaigns).toEqual([expect.objectContaining({ ref: 'c1', product: 'Syncbox' })]);
    expect(user.items.map((i) => i.id)).toEqual(['1', '2']);
    expect(results.map((r) => [r.key, r.score, r.scoring, r.scoredBy])).toEqual([
      ['k0', 88, 'scored', 'openai:gpt-test'],
      ['k1', 12, 'scored', 'openai:gpt-test'],
    ]);
    expect(results[0]!.reasons).toEqual(['The author asks which tool to use.']);
    expect(usage.requests).toBe(1);
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.byCampaign.get(profile.campaignId)?.outputTokens).toBe(usage.outputTokens);
  });

  it('when 25 candidates arrive with a batch size of 10, then three requests carry 10, 10 and 5 items', async () => {
    const { results, usage } = await make().scoreBatch(candidates(25));
    const sizes = fake.requests.map((r) => (JSON.parse(r.body.messages[1]!.content) as { items: unknown[] }).items.length);
    expect(sizes).toEqual([10, 10, 5]);
    expect(results).toHaveLength(25);
    expect(results.every((r) => r.scoring === 'scored')).toBe(true);
    expect(usage.requests).toBe(3);
  });

  it('when a long post is sent, then its text is truncated before it reaches the model', async () => {
    const [c] = candidates(1);
    c!.item.body = 'word '.repeat(5_000);
    await make().scoreBatch([c!]);
    const user = JSON.parse(fake.requests[0]!.body.messages[1]!.content) as { items: { text: string }[] };
    expect(user.items[0]!.text.length).toBeLessThanOrEqual(1_201);
  });

  it('when the first answer is malformed JSON, then the batch is asked once more and scored', async () => {
    fake.script('malformed');
    const { results } = await make().scoreBatch(candidates(3));
    expect(fake.requests).toHaveLength(2);
    expect(results.every((r) => r.scoring === 'scored')).toBe(true);
  });

  it('when the answer is malformed twice, then the batch keeps local scores marked unscored', async () => {
    fake.script('malformed', 'malformed');
    const { results } = await make().scoreBatch(candidates(3));
    expect(fake.requests).toHaveLength(2);
    expect(results.map((r) => r.scoring)).toEqual(['unscored', 'unscored', 'unscored']);
    expect(results[0]!.scoredBy).toBe('local');
    expect(results[0]!.reasons.at(-1)).toMatch(/malformed/);
  });

  it('when an answer leaves out an id, then it counts as malformed', async () => {
    fake.script({ content: () => JSON.stringify({ results: [{ id: '1', score: 50, intent: 'other', reason: 'x' }] }) });
    const { results } = await make().scoreBatch(candidates(2));
    expect(fake.requests).toHaveLength(2);
    expect(results.every((r) => r.scoring === 'scored')).toBe(true);
  });

  it('when the provider answers 429 with Retry-After: 2, then the scorer waits 2 s and retries', async () => {
    fake.script({ status: 429, retryAfter: '2' });
    const { results } = await make().scoreBatch(candidates(2));
    expect(sleeps).toEqual([2_000]);
    expect(fake.requests).toHaveLength(2);
    expect(results.every((r) => r.scoring === 'scored')).toBe(true);
  });

  it('when Retry-After asks for longer than allowed, then the batch falls back instead of waiting', async () => {
    fake.script({ status: 429, retryAfter: '3600' });
    const { results } = await make().scoreBatch(candidates(1));
    expect(sleeps).toEqual([]);
    expect(results[0]!.scoring).toBe('unscored');
  });

  it('when the provider answers 500 twice, then it retries with growing backoff and succeeds', async () => {
    fake.script({ status: 500 }, { status: 503 });
    const { results } = await make({ baseDelayMs: 100 }).scoreBatch(candidates(2));
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([75, 150]);
    expect(results.every((r) => r.scoring === 'scored')).toBe(true);
  });

  it('when a 400 comes back, then it is not retried and the batch keeps local scores', async () => {
    fake.script({ status: 400 });
    const { results } = await make().scoreBatch(candidates(1));
    expect(fake.requests).toHaveLength(1);
    expect(results[0]!.scoring).toBe('unscored');
  });

  it('when the provider hangs past the timeout, then each attempt is cut off and the batch keeps local scores', async () => {
    fake.setDefault('hang');
    const { results } = await make({ timeoutMs: 200, attempts: 2 }).scoreBatch(candidates(2));
    expect(fake.requests).toHaveLength(2);
    expect(results.map((r) => r.scoring)).toEqual(['unscored', 'unscored']);
    expect(results[0]!.reasons.at(-1)).toMatch(/failed/);
  });

  it('when calls keep failing, then the breaker opens, stops calling, and closes again once the provider is back', async () => {
    fake.setDefault({ status: 500 });
    // isAvailable reads this clock, so a slow machine cannot make the open window look elapsed early.
    let clock = 1_000_000;
    const scorer = make({ breakerThreshold: 2, halfOpenAfterMs: 300, attempts: 3, now: () => clock });
    const first = await scorer.scoreBatch(candidates(2));
    expect(first.results.every((r) => r.scoring === 'unscored')).toBe(true);
    expect(fake.requests).toHaveLength(2);
    expect(scorer.isAvailable()).toBe(false);

    const second = await scorer.scoreBatch(candidates(2, 'b'));
    expect(fake.requests).toHaveLength(2);
    expect(second.results.every((r) => r.scoring === 'unscored')).toBe(true);
    expect(second.results[0]!.reasons.at(-1)).toMatch(/unavailable/);

    fake.setDefault('good');
    clock += 1_000;
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(scorer.isAvailable()).toBe(true);
    const third = await scorer.scoreBatch(candidates(2, 'c'));
    expect(third.results.every((r) => r.scoring === 'scored')).toBe(true);
    expect(scorer.isAvailable()).toBe(true);
  });
});
