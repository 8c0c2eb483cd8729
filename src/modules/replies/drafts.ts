import { franc } from 'franc-min';
import OpenAI from 'openai';
import { findCues, relevance } from '../scoring/local-scorer.js';
import { realSleep, withRetry } from '../../platform/retry.js';
import { cleanText } from '../scoring/text.js';

/*
 * Reply drafts a person reads, edits and posts themselves; nothing here posts to Reddit.
 * A draft answers the thread first and names the product only when it answers the question.
 */

export interface DraftInput {
  item: { kind: 'post' | 'comment'; subreddit: string; title: string; body: string };
  campaign: { id: string; productName: string; productDescription: string; productUrl?: string | null };
  /** Disclosure line with `{product}` (the REPLY_DISCLOSURE setting); appended when the product is named. */
  disclosure: string;
}

export interface Draft {
  text: string;
  /** "local" or "openai:<model>". */
  draftedBy: string;
  /** ISO 639-3 code of the thread's language as detected, or "und". */
  language: string;
  mentionsProduct: boolean;
  /** Tokens the model used, when a model wrote the draft (for the AI usage ledger). */
  usage?: { inputTokens: number; outputTokens: number };
}

export interface DraftWriter {
  draft(input: DraftInput): Promise<Draft>;
}

export type DraftWriterOptions =
  | { provider: 'local' }
  | {
      provider: 'openai';
      baseUrl: string;
      apiKey: string | undefined;
      model: string;
      timeoutMs: number;
      sleep?: (ms: number) => Promise<void>;
    };

const ASKING_INTENTS = new Set(['recommendation_request', 'alternative_search', 'comparison', 'pain_point', 'competitor_complaint']);

const TIPS: Record<string, string> = {
  recommendation_request: 'Most tools like this have a free tier or a trial, so try two or three on your real use case before deciding.',
  alternative_search: 'If you switch, move one small part of your setup first to check it covers what you rely on today.',
  comparison: 'Whichever you pick, compare them on the task you do most often; that usually settles it faster than feature lists.',
  pain_point: 'Even before picking a tool, writing down the steps you repeat most shows what is worth automating first.',
  competitor_complaint: 'Export your data before you cancel anything, so the move is painless whatever you choose.',
};

export function detectLanguage(text: string): string {
  return franc(cleanText(text), { minLength: 20 });
}

function firstSentence(text: string): string {
  const s = cleanText(text).split(/(?<=[.!?])\s/)[0] ?? '';
  return s.replace(/[.!?]+$/, '');
}

const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

/** Casual threads (lower-case, slang) get a casual reply. */
function isCasual(text: string): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  const upper = letters.replace(/[^A-Z]/g, '').length;
  return /\b(lol|tbh|imo|guys|gonna|wanna|hey)\b/i.test(text) || (letters.length > 20 && upper / letters.length < 0.02);
}

export function disclosureLine(template: string, productName: string): string {
  return template.replaceAll('{product}', productName).trim();
}

/** Fills a template from the campaign's description; deterministic. */
export function draftLocally(input: DraftInput): Draft {
  const { item, campaign } = input;
  const text = `${item.title}\n${item.body}`;
  const language = detectLanguage(text);
  const cues = findCues(item).filter((c) => c.points > 0 && c.intent !== null && ASKING_INTENTS.has(c.intent));
  const intent = cues.sort((a, b) => b.points - a.points)[0]?.intent ?? null;
  const profile = { campaignId: campaign.id, version: 0, productName: campaign.productName, productDescription: campaign.productDescription, leadContext: '' };
  const rel = relevance(item, profile, []);
  const mentionsProduct = intent !== null && rel.value > 0.2 && campaign.productName.trim() !== '';

  const parts: string[] = [];
  if (language !== 'eng' && language !== 'und') parts.push('(Sorry for answering in English.)');
  parts.push(isCasual(text) ? 'Hey!' : 'Hi,');
  if (mentionsProduct) {
    const what = lowerFirst(firstSentence(campaign.productDescription));
    const url = campaign.productUrl ? ` (${campaign.productUrl})` : '';
    parts.push(`${campaign.productName}${url} might fit what you describe${what ? `: ${what}` : ''}.`);
  }
  parts.push(TIPS[intent ?? ''] ?? 'Happy to share what worked for me if you add a bit more detail about your setup.');
  let body = parts.join(' ');
  if (mentionsProduct) body += `\n\n${disclosureLine(input.disclosure, campaign.productName)}`;
  return { text: body, draftedBy: 'local', language, mentionsProduct };
}

const DRAFT_SYSTEM_PROMPT = [
  'You write a reply to a Reddit post or comment for a person who will read and edit it before posting.',
  "Write 2 to 4 sentences in the thread's language and tone. Answer the question or help with the problem first.",
  'Mention the product at most once and only if it genuinely answers the question; otherwise do not mention it.',
  'No marketing language, no superlatives, no hashtags, no links except the product URL if given. Do not add a disclosure; it is added separately.',
].join('\n');

export function createDraftWriter(opts: DraftWriterOptions): DraftWriter {
  if (opts.provider === 'local') return { draft: async (input) => draftLocally(input) };

  const client = new OpenAI({ baseURL: opts.baseUrl, apiKey: opts.apiKey ?? 'not-needed', timeout: opts.timeoutMs, maxRetries: 0 });
  const isTransient = (e: unknown) =>
    e instanceof OpenAI.APIConnectionError || (e instanceof OpenAI.APIError && ((e.status ?? 0) === 429 || (e.status ?? 0) >= 500));

  return {
    async draft(input) {
      const { item, campaign } = input;
      const user = JSON.stringify({
        product: { name: campaign.productName, description: campaign.productDescription.slice(0, 800), url: campaign.productUrl ?? null },
        thread: { subreddit: item.subreddit, kind: item.kind, title: item.title.slice(0, 300), text: item.body.slice(0, 2_000) },
      });
      let content: string | null | undefined;
      let usage: Draft['usage'];
      try {
        const completion = await withRetry(
          () =>
            client.chat.completions.create({
              model: opts.model,
              temperature: 0.4,
              messages: [
                { role: 'system', content: DRAFT_SYSTEM_PROMPT },
                { role: 'user', content: user },
              ],
            }),
          {
            attempts: 2,
            baseDelayMs: 500,
            maxDelayMs: 4_000,
            classify: (e) => (isTransient(e) ? { retry: true } : { retry: false }),
            sleep: opts.sleep ?? realSleep,
            random: () => 0.5,
          },
        );
        content = completion.choices[0]?.message?.content?.trim();
        usage = {
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
        };
      } catch {
        content = undefined;
      }
      // The user asked for a draft: a local one beats an error.
      if (!content) return draftLocally(input);
      const mentionsProduct = campaign.productName !== '' && content.toLowerCase().includes(campaign.productName.toLowerCase());
      const text = mentionsProduct ? `${content}\n\n${disclosureLine(input.disclosure, campaign.productName)}` : content;
      return {
        text,
        draftedBy: `openai:${opts.model}`,
        language: detectLanguage(`${item.title}\n${item.body}`),
        mentionsProduct,
        ...(usage ? { usage } : {}),
      };
    },
  };
}
