import { z } from 'zod';

export const apiKeyIdParams = z.object({ id: z.uuid() });

export const createApiKeyBody = z.object({ name: z.string().trim().min(1).max(100) });

export const apiKey = z.object({
  id: z.uuid(),
  name: z.string(),
  /** First characters of the key, to tell keys apart. */
  prefix: z.string(),
  last_used_at: z.iso.datetime().nullable(),
  revoked_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});
export type ApiKeyView = z.infer<typeof apiKey>;

/** The only answer that ever carries the key itself. */
export const createdApiKey = apiKey.extend({ key: z.string() });

export const apiKeyList = z.object({ items: z.array(apiKey) });
