import type { Db } from '../../platform/db/client.js';
import { NotFoundError } from '../../platform/errors.js';
import { issueKey } from '../auth/tokens.js';
import { type ApiKeyRow, insertApiKey, listApiKeys, revokeApiKey } from './api-keys.repo.js';
import type { ApiKeyView } from './api-keys.schemas.js';

function view(k: ApiKeyRow): ApiKeyView {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
    created_at: k.createdAt.toISOString(),
  };
}

export function createApiKeyService(deps: {
  db: Db;
  now: () => Date;
  random?: (n: number) => Buffer;
  /** Told after a revocation, so caches of resolved keys drop it. */
  onRevoked?: (keyId: string) => void;
}) {
  return {
    /** The key itself is in this answer only; it is stored as a hash. */
    async create(userId: string, name: string): Promise<ApiKeyView & { key: string }> {
      const issued = issueKey('api', deps.random);
      const row = await insertApiKey(deps.db, { userId, name, prefix: issued.prefix, keyHash: issued.hash });
      return { ...view(row), key: issued.key };
    },
    async list(userId: string): Promise<ApiKeyView[]> {
      return (await listApiKeys(deps.db, userId)).map(view);
    },
    async revoke(userId: string, id: string): Promise<void> {
      if (!(await revokeApiKey(deps.db, userId, id, deps.now()))) throw new NotFoundError('api_key');
      deps.onRevoked?.(id);
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;
