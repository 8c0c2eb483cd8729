import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, createUser, startApi } from './api-harness.js';
import { eventually } from './helpers/eventually.js';
import { clearRedisPrefix, createTestDatabase, createTestRedis, type TestDatabase, uniqueRedisPrefix } from './helpers/services.js';

describe('API key revocation across API instances', () => {
  let t: TestDatabase;
  const prefix = uniqueRedisPrefix('revoke');
  let one: ApiHarness;
  let two: ApiHarness;

  beforeAll(async () => {
    t = await createTestDatabase();
    one = await startApi({}, {}, { t, prefix });
    two = await startApi({}, {}, { t, prefix });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    const redis = createTestRedis();
    await clearRedisPrefix(redis, prefix);
    redis.disconnect();
    await t?.drop();
  });

  it('when a key is revoked on one instance, then the other refuses it at once instead of trusting its cache', async () => {
    const owner = await createUser(one, 'revoker@example.com');
    // A second key of the same user, used on instance two so that instance caches it.
    const created = await owner.call({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'script' } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    const onTwo = () => two.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } });
    expect((await onTwo()).statusCode).toBe(200);

    const revoked = await owner.call({ method: 'DELETE', url: `/api/v1/api-keys/${id}` });
    expect(revoked.statusCode).toBe(204);

    // Within 3 s, where the cache alone would trust the key for up to 10 s.
    await eventually(async () => (await onTwo()).statusCode === 401, 3_000);
  });
});
