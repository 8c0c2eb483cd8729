import { z } from 'zod';
import { INTENTS } from '../../platform/db/schema.js';
import type { ScoreCandidate } from './scoring.types.js';

// Long posts cost tokens without changing the verdict: the ask is nearly always up front.
const TITLE_CHARS = 300;
const BODY_CHARS = 1_200;
const PROFILE_CHARS = 600;

export const SCORING_SYSTEM_PROMPT = [
  'You rate Reddit posts and comments as sales leads for products.',
  'Each item names its campaign; judge it only against that campaign: is it about what the product does, and does the author want a solution now (asking for a recommendation or an alternative, describing a pain the product solves, comparing tools, complaining about a competitor, mentioning a budget or team)?',
  'score: 0-100 integer; 80+ is a person who would welcome the product now, under 30 is noise (news, rants, jokes, self-promotion, off-topic).',
  `intent: one of ${INTENTS.join(', ')}.`,
  'reason: one short sentence a salesperson can read. Return every item id exactly once.',
].join('\n');

export const SCORING_RESPONSE_FORMAT = {
  type: 'json_schema',
  json_schema: {
    name: 'lead_scores',
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['results'],
      properties: {
        results: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'score', 'intent', 'reason'],
            properties: {
              id: { type: 'string' },
              score: { type: 'integer', minimum: 0, maximum: 100 },
              intent: { type: 'string', enum: [...INTENTS] },
              reason: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** The user message: campaigns once each, then the items referring to them by short ids. */
export function buildScoringMessage(candidates: readonly ScoreCandidate[]): string {
  const campaignRefs = new Map<string, string>();
  const campaigns: { ref: string; product: string; description: string; good_lead: string }[] = [];
  for (const c of candidates) {
    if (campaignRefs.has(c.profile.campaignId)) continue;
    const ref = `c${campaignRefs.size + 1}`;
    campaignRefs.set(c.profile.campaignId, ref);
    campaigns.push({
      ref,
      product: clip(c.profile.productName, 100),
      description: clip(c.profile.productDescription, PROFILE_CHARS),
      good_lead: clip(c.profile.leadContext, PROFILE_CHARS),
    });
  }
  const items = candidates.map((c, i) => ({
    id: String(i + 1),
    campaign: campaignRefs.get(c.profile.campaignId),
    kind: c.item.kind,
    subreddit: c.item.subreddit,
    title: clip(c.item.title, TITLE_CHARS),
    text: clip(c.item.body, BODY_CHARS),
    matched_terms: c.matchedTerms.slice(0, 10),
  }));
  return JSON.stringify({ campaigns, items });
}

const answerSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      score: z.number().int().min(0).max(100),
      intent: z.enum(INTENTS),
      reason: z.string().trim().min(1).max(500),
    }),
  ),
});

export type ParsedScore = z.infer<typeof answerSchema>['results'][number];

export class MalformedAnswerError extends Error {
  override name = 'MalformedAnswerError';
}

/** Strict: valid JSON, the schema, and exactly the ids 1..count, each once. */
export function parseScoringAnswer(content: string | null | undefined, count: number): ParsedScore[] {
  if (!content) throw new MalformedAnswerError('empty answer');
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new MalformedAnswerError('answer is not JSON');
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) throw new MalformedAnswerError(`answer does not fit the schema: ${parsed.error.message}`);
  const byId = new Map(parsed.data.results.map((r) => [r.id, r]));
  if (byId.size !== parsed.data.results.length) throw new MalformedAnswerError('an id is answered twice');
  const ordered: ParsedScore[] = [];
  for (let i = 1; i <= count; i++) {
    const r = byId.get(String(i));
    if (!r) throw new MalformedAnswerError(`item ${i} is missing from the answer`);
    ordered.push(r);
  }
  if (byId.size !== count) throw new MalformedAnswerError('the answer has unknown ids');
  return ordered;
}
