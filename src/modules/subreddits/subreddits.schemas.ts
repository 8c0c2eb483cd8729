import { z } from 'zod';

export const suggestQuery = z.object({ q: z.string().trim().min(1).max(50) });

export const subredditSuggestions = z.object({
  items: z.array(
    z.object({
      name: z.string(),
      subscribers: z.number().int().nullable(),
      /** Why it is suggested: found on Reddit, already seen by Subscout, or a known community for the topic. */
      source: z.enum(['reddit', 'seen', 'topic']),
    }),
  ),
});
export type SubredditSuggestions = z.infer<typeof subredditSuggestions>;
