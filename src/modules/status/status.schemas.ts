import { z } from 'zod';

export const systemStatus = z.object({
  queues: z.array(
    z.object({
      name: z.string(),
      waiting: z.number().int(),
      active: z.number().int(),
      delayed: z.number().int(),
      failed: z.number().int(),
    }),
  ),
  /** Null when Subscout is not reading Reddit through the API (demo or no source). */
  reddit_budget: z
    .object({
      remaining: z.number(),
      limit: z.number(),
      reset_at: z.iso.datetime(),
      breaker: z.string(),
    })
    .nullable(),
  ai_breaker: z.object({ state: z.string() }),
  streams: z.array(
    z.object({
      key: z.string(),
      /** Seconds since the stream was last read: how far behind it can be. */
      lag_seconds: z.number().nullable(),
      last_polled_at: z.iso.datetime().nullable(),
      newest_item_at: z.iso.datetime().nullable(),
      items_per_minute: z.number(),
      poll_interval_s: z.number(),
      last_error: z.string().nullable(),
    }),
  ),
});
export type SystemStatus = z.infer<typeof systemStatus>;
