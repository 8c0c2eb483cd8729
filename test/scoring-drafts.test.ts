import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraftWriter } from '../src/modules/replies/drafts.js';
import { type FakeOpenAi, startFakeOpenAi } from './helpers/fake-openai.js';

const input = {
  item: { kind: 'post' as const, subreddit: 'socialmedia', title: 'Alternatives to Hootsuite?', body: 'Too expensive for our agency.' },
  campaign: { id: 'c1', productName: 'Postwise', productDescription: 'Social media scheduling for agencies.', productUrl: 'https://postwise.example' },
  disclosure: '(Disclosure: I work on {product}.)',
};

describe('reply drafts through an OpenAI-compatible endpoint', () => {
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    await fake.close();
  });
  const writer = () =>
    createDraftWriter({ provider: 'openai', baseUrl: fake.baseUrl, apiKey: 'sk-test', model: 'gpt-test', timeoutMs: 2_000, sleep: async () => {} });

  it('when the model writes a reply naming the product, then the draft carries it plus the configured disclosure', async () => {
    fake.script({ content: () => 'Buffer and Postwise both handle agencies; try their trials on one client first.' });
    const d = await writer().draft(input);
    const req = fake.requests.at(-1)!;
    expect(req.body.model).toBe('gpt-test');
    expect(req.body.messages[0]!.content).toMatch(/only if it genuinely answers/);
    expect(JSON.parse(req.body.messages[1]!.content)).toMatchObject({ product: { name: 'Postwise' }, thread: { title: 'Alternatives to Hootsuite?' } });
    expect(d.draftedBy).toBe('openai:gpt-test');
    expect(d.text).toBe('Buffer and Postwise both handle agencies; try their trials on one client first.\n\n(Disclosure: I work on Postwise.)');
  });

  it('when the provider keeps failing, then a local draft is returned instead of an error', async () => {
    fake.script({ status: 500 }, { status: 500 });
    const d = await writer().draft(input);
    expect(d.draftedBy).toBe('local');
    expect(d.text).toContain('Postwise');
  });
});
