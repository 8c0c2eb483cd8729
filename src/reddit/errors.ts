import { AppError, ServiceUnavailableError } from '../platform/errors.js';

/** The circuit breaker is open: Reddit failed repeatedly and calls are refused for a while. */
export class RedditUnavailableError extends ServiceUnavailableError {
  override name = 'RedditUnavailableError';
  constructor(message = 'Reddit is unavailable; calls are paused after repeated failures.') {
    super('reddit_unavailable', message);
  }
}

/** Reddit answered with a status the client does not retry (4xx other than 401/429). */
export class RedditRequestError extends AppError {
  override name = 'RedditRequestError';
  constructor(
    readonly upstreamStatus: number,
    path: string,
  ) {
    super(502, 'reddit_request_failed', `Reddit answered ${upstreamStatus} to ${path}.`, { upstreamStatus, path });
  }
}

/** Retries ran out on 5xx answers, timeouts, network errors or 429s. */
export class RedditRetriesExhaustedError extends AppError {
  override name = 'RedditRetriesExhaustedError';
  constructor(path: string, attempts: number, lastProblem: string) {
    super(503, 'reddit_retries_exhausted', `Reddit request ${path} failed ${attempts} times (${lastProblem}).`, {
      path,
      attempts,
    });
  }
}

/** The token endpoint refused the app's credentials or answered something unusable. */
export class RedditAuthError extends AppError {
  override name = 'RedditAuthError';
  constructor(message: string, details?: Record<string, unknown>) {
    super(502, 'reddit_auth_failed', message, details);
  }
}

/** Reddit answered 2xx with a body that is not what the endpoint promises. */
export class RedditProtocolError extends AppError {
  override name = 'RedditProtocolError';
  constructor(path: string, detail: string) {
    super(502, 'reddit_bad_response', `Unexpected answer from Reddit for ${path}: ${detail}`, { path });
  }
}

/** One attempt failed in a way worth retrying; counted by the circuit breaker. */
export class TransientRedditError extends Error {
  override name = 'TransientRedditError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}
