import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiUsage } from '../src/platform/db/schema.js';
import { type ApiHarness, createCampaignRow, createUser, seedLeads, startApi, type TestUser } from './api-harness.js';
import { type FakeOpenAi, startFakeOpenAi } from './helpers/fake-openai.js';

describe('reply drafts written by an OpenAI-compatible model', () => {
  let ai: FakeOpenAi;
  let h: ApiHarness;
  let user: TestUser;
  let campaignId: string;

  beforeAll(async () => {
    ai = await startFakeOpenAi();
    ai.setDefault({ content: () => 'Try a spreadsheet first; if it gets messy, a small CRM helps.' });
    h = await startApi({ AI_PROVIDER: 'openai', AI_BASE_URL: ai.baseUrl, AI_MODEL: 'draft-model', AI_API_KEY: 'k' });
    user = await createUser(h, 'drafts-usage@example.com');
    campaignId = await createCampaignRow(h, user.id, 'crm');
  });
  afterAll(async () => {
    await h?.close();
    await ai?.close();
  });

  it('when a model writes a draft, then its tokens are recorded for the user and campaign and count toward the plan', async () => {
    const [leadId] = await seedLeads(h, user.id, campaignId, 1);
    const res = await user.call({ method: 'POST', url: `/api/v1/leads/${leadId}/draft` });
    expect(res.statusCode).toBeLessThan(300);
    expect(res.json().drafted_by).toBe('openai:draft-model');
    expect(ai.requests).toHaveLength(1);

    const rows = await h.infra.database.db.select().from(aiUsage).where(eq(aiUsage.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ campaignId, model: 'draft-model', requests: 1 });
    expect(rows[0]!.inputTokens).toBeGreaterThan(0);
    expect(rows[0]!.outputTokens).toBeGreaterThan(0);

    const me = await user.call({ method: 'GET', url: '/api/v1/me' });
    expect(JSON.stringify(me.json())).toContain(String(rows[0]!.inputTokens + rows[0]!.outputTokens));
  });
});
