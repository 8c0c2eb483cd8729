import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import OpenAI from 'openai';
import type { Logger } from '../../platform/logger.js';
import {
  buildScoringMessage,
  MalformedAnswerError,
  parseScoringAnswer,
  SCORING_RESPONSE_FORMAT,
  SCORING_SYSTEM_PROMPT,
} from './openai-prompt.js';
import { type RetryDecision, realSleep, withRetry } from '../../platform/retry.js';
import {
  emptyUsage,
  type ScoreBatch,
  type ScoreCandidate,
  type ScoreResult,
  type Scorer,
  type TokenUsage,
} from './scoring.types.js';

export interface OpenAiScorerOptions {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
  batchSize: number;
  /** Scores candidates when the provider cannot; its results are marked unscored. */
  fallback: Scorer;
  log: Logger;
  /** Attempts per call for transient failures (timeouts, 429, 5xx), the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the batch falls back instead. */
  maxRetryAfterMs?: number;
  /** Consecutive failed calls that open the breaker. */
  breakerThreshold?: number;
  /** How long the breaker stays open before one probe call is let through. */
  halfOpenAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Clock of the breaker's open window (cockatiel measures it with Date.now). */
  now?: () => number;
}

/** Errors that say the provider is struggling: retried, and counted by the breaker. */
function isTransient(error: unknown): boolean {
  if (error instanceof OpenAI.APIConnectionError) return true;
  if (error instanceof OpenAI.APIError) {
    const s = error.status ?? 0;
    return s === 408 || s === 409 || s === 429 || s >= 500 || s === 0;
  }
  return false;
}

/** Retry-After in seconds or as an HTTP date, or OpenAI's retry-after-ms; undefined when absent. */
export function retryAfterMs(headers: Headers | undefined, nowMs: number): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function splitUsage(usage: TokenUsage, batch: readonly ScoreCandidate[], input: number, output: number): void {
  usage.requests += 1;
  usage.inputTokens += input;
  usage.outputTokens += output;
  const counts = new Map<string, number>();
  for (const c of batch) counts.set(c.profile.campaignId, (counts.get(c.profile.campaignId) ?? 0) + 1);
  let inLeft = input;
  let outLeft = output;
  let i = 0;
  for (const [campaignId, n] of counts) {
    const last = ++i === counts.size;
    const inShare = last ? inLeft : Math.round((input * n) / batch.length);
    const outShare = last ? outLeft : Math.round((output * n) / batch.length);
    inLeft -= inShare;
    outLeft -= outShare;
    const row = usage.byCampaign.get(campaignId) ?? { requests: 0, inputTokens: 0, outputTokens: 0 };
    // Each campaign in a shared request counts it once: "requests that carried this campaign".
    row.requests += 1;
    row.inputTokens += inShare;
    row.outputTokens += outShare;
    usage.byCampaign.set(campaignId, row);
  }
}

/** Any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM, LM Studio). */
export function createOpenAiScorer(opts: OpenAiScorerOptions): Scorer & { readonly breaker: CircuitBreakerPolicy } {
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const halfOpenAfter = opts.halfOpenAfterMs ?? 30_000;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 60_000;
  const scoredBy = `openai:${opts.model}`;
  // Retries are ours (maxRetries 0) so that every failed attempt reaches the breaker.
  const client = new OpenAI({
    baseURL: opts.baseUrl,
    apiKey: opts.apiKey ?? 'not-needed',
    timeout: opts.timeoutMs,
    maxRetries: 0,
  });
  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter,
    breaker: new ConsecutiveBreaker(opts.breakerThreshold ?? 5),
  });
  let openedAt = 0;
  breaker.onBreak(() => {
    openedAt = now();
    opts.log.warn({ model: opts.model }, 'AI provider breaker opened; scoring falls back to local');
  });
  breaker.onReset(() => opts.log.info({ model: opts.model }, 'AI provider breaker closed'));

  const classify = (error: unknown): RetryDecision => {
    if (error instanceof BrokenCircuitError || !isTransient(error)) return { retry: false };
    if (error instanceof OpenAI.APIError && error.status === 429) {
      const wait = retryAfterMs(error.headers, now());
      if (wait !== undefined) return wait > maxRetryAfterMs ? { retry: false } : { retry: true, delayMs: wait };
    }
    return { retry: true };
  };

  async function callOnce(batch: readonly ScoreCandidate[], usage: TokenUsage) {
    const completion = await breaker.execute(() =>
      client.chat.completions.create({
        model: opts.model,
        temperature: 0,
        messages: [
          { role: 'system', content: SCORING_SYSTEM_PROMPT },
          { role: 'user', content: buildScoringMessage(batch) },
        ],
        response_format: SCORING_RESPONSE_FORMAT,
      }),
    );
    splitUsage(usage, batch, completion.usage?.prompt_tokens ?? 0, completion.usage?.completion_tokens ?? 0);
    return parseScoringAnswer(completion.choices[0]?.message?.content, batch.length);
  }

  const retried = (batch: readonly ScoreCandidate[], usage: TokenUsage) =>
    withRetry(() => callOnce(batch, usage), {
      attempts: opts.attempts ?? 3,
      baseDelayMs: opts.baseDelayMs ?? 500,
      maxDelayMs: opts.maxDelayMs ?? 8_000,
      classify,
      sleep,
      random,
      onRetry: (error, attempt, delayMs) =>
        opts.log.debug({ err: errorText(error), attempt, delayMs }, 'AI provider call failed; retrying'),
    });

  async function fallBack(batch: readonly ScoreCandidate[], why: string): Promise<ScoreResult[]> {
    const local = await opts.fallback.scoreBatch(batch);
    return local.results.map((r) => ({
      ...r,
      scoring: 'unscored',
      reasons: [...r.reasons, `keyword score kept: ${why}`],
    }));
  }

  async function scoreChunk(batch: readonly ScoreCandidate[], usage: TokenUsage): Promise<ScoreResult[]> {
    let answers: Awaited<ReturnType<typeof callOnce>>;
    try {
      try {
        answers = await retried(batch, usage);
      } catch (error) {
        if (!(error instanceof MalformedAnswerError)) throw error;
        // A malformed answer is usually a one-off of sampling: ask once more, then give up.
        opts.log.warn({ err: error.message, size: batch.length }, 'AI provider answer malformed; asking again');
        answers = await retried(batch, usage);
      }
    } catch (error) {
      const why =
        error instanceof BrokenCircuitError
          ? 'AI provider unavailable'
          : error instanceof MalformedAnswerError
            ? 'AI provider answered malformed JSON'
            : 'AI provider call failed';
      opts.log.warn({ err: errorText(error), size: batch.length }, `${why}; using the local score`);
      return fallBack(batch, why);
    }
    return batch.map((c, i) => {
      const a = answers[i]!;
      return {
        key: c.key,
        score: a.score,
        intent: a.intent,
        reasons: [a.reason],
        matchedTerms: [...c.matchedTerms],
        scoredBy,
        scoring: 'scored',
      };
    });
  }

  return {
    name: 'openai',
    model: opts.model,
    batchSize: opts.batchSize,
    breaker,
    isAvailable() {
      if (breaker.state === CircuitState.Closed) return true;
      if (breaker.state === CircuitState.Open || breaker.state === CircuitState.Isolated) {
        return breaker.state === CircuitState.Open && now() - openedAt >= halfOpenAfter;
      }
      return false;
    },
    async scoreBatch(candidates): Promise<ScoreBatch> {
      const usage = emptyUsage();
      const results: ScoreResult[] = [];
      for (let i = 0; i < candidates.length; i += opts.batchSize) {
        results.push(...(await scoreChunk(candidates.slice(i, i + opts.batchSize), usage)));
      }
      return { results, usage };
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
