import { z } from 'zod';
import raw from './data/topics.json' with { type: 'json' };

/** Topic words found on product pages, mapped to the well-known subreddits where buyers of that kind ask. */
const topicFile = z.object({
  topics: z
    .array(
      z.object({
        id: z.string().min(1),
        terms: z.array(z.string().min(2)).min(1),
        phrases: z.array(z.string().min(2)).min(1),
        subreddits: z.array(z.string().regex(/^[a-z0-9_]{2,21}$/)).min(1),
        rules: z.array(z.string().min(1)),
        hiringRelevant: z.boolean().optional(),
      }),
    )
    .min(1),
  businessSignals: z.array(z.string().min(2)),
  businessSubreddits: z.array(z.string().regex(/^[a-z0-9_]{2,21}$/)),
  negativeKeywords: z.array(z.string().min(2)),
});

export type TopicData = z.infer<typeof topicFile>;
export type Topic = TopicData['topics'][number];

export const TOPICS: TopicData = topicFile.parse(raw);

/** Lower case, words separated by single spaces, padded so ` term ` finds whole words only. */
export function searchable(text: string): string {
  return ` ${text.toLowerCase().replace(/[^\p{L}\p{N}+#]+/gu, ' ').trim()} `;
}

export function countTerm(haystack: string, term: string): number {
  const needle = searchable(term);
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length - 1)) count++;
  return count;
}

export interface WeightedText {
  text: string;
  weight: number;
  /** Occurrences counted at most this many times, so one repeated word cannot carry a topic. */
  cap: number;
}

export interface ScoredTopic {
  topic: Topic;
  score: number;
}

/** Topics the page is about, strongest first: at most `limit`, each scoring at least a quarter of the best. */
export function detectTopics(texts: readonly WeightedText[], data: TopicData = TOPICS, limit = 3): ScoredTopic[] {
  const prepared = texts.map((t) => ({ ...t, text: searchable(t.text) }));
  const scored = data.topics
    .map((topic) => ({
      topic,
      score: topic.terms.reduce(
        (sum, term) => sum + prepared.reduce((s, t) => s + Math.min(t.cap, countTerm(t.text, term)) * t.weight, 0),
        0,
      ),
    }))
    .filter((s) => s.score >= 3)
    .sort((a, b) => b.score - a.score || a.topic.id.localeCompare(b.topic.id));
  const best = scored[0]?.score ?? 0;
  return scored.filter((s) => s.score * 4 >= best).slice(0, limit);
}
