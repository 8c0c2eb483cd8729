import { Agent, fetch as undiciFetch } from 'undici';
import { AppError, ValidationError } from '../errors.js';
import { assertPublicUrl, guardedLookup, type UrlPolicy, urlUnreachable } from './ssrf-guard.js';

export type FetchLike = typeof undiciFetch;

export interface SafeFetchOptions extends UrlPolicy {
  /** Cap on the decoded body; reading stops and fails as soon as it is passed. */
  maxBytes: number;
  /** Cap on the whole exchange: every redirect hop and the body. */
  timeoutMs: number;
  /** Hops followed before giving up (default 5). */
  maxRedirects?: number;
  /** `manual` hands 3xx answers back instead of following them (a browser follows them itself). */
  redirect?: 'follow' | 'manual';
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** undici's fetch unless a test supplies another; it is given the pinned dispatcher. */
  fetch?: FetchLike;
}

export interface SafeResponse {
  /** The URL finally answered, after redirects. */
  url: string;
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** Every URL visited before `url`. */
  redirects: readonly string[];
}

export const DEFAULT_USER_AGENT = 'Mozilla/5.0 (compatible; SubscoutBot/0.1; +https://github.com/subscout)';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function pageTooLarge(maxBytes: number): ValidationError {
  return new ValidationError(`The page is larger than ${maxBytes} bytes.`, { maxBytes }, 'page_too_large');
}

/**
 * GET a user-supplied URL safely: http(s) to public addresses only, re-checked on every
 * redirect hop and again at connect time (the socket connects to the address that passed),
 * with the body size and the total time capped.
 */
export async function safeFetch(raw: string | URL, opts: SafeFetchOptions): Promise<SafeResponse> {
  const maxRedirects = opts.maxRedirects ?? 5;
  const doFetch = opts.fetch ?? undiciFetch;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const agent = new Agent({
    connect: { lookup: guardedLookup(opts), timeout: opts.timeoutMs },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
  const redirects: string[] = [];
  try {
    let url = await assertPublicUrl(raw, opts);
    for (;;) {
      const res = await doFetch(url, {
        redirect: 'manual',
        signal,
        dispatcher: agent,
        headers: { 'user-agent': DEFAULT_USER_AGENT, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5', ...opts.headers },
      });
      const location = res.headers.get('location');
      if (opts.redirect !== 'manual' && REDIRECTS.has(res.status) && location !== null) {
        await res.body?.cancel();
        if (redirects.length >= maxRedirects) {
          throw urlUnreachable(`it redirects more than ${maxRedirects} times`, { cause: 'too_many_redirects' });
        }
        redirects.push(url.toString());
        url = await assertPublicUrl(new URL(location, url), opts);
        continue;
      }
      const body = await readCapped(res, opts.maxBytes);
      return { url: url.toString(), status: res.status, headers: res.headers as unknown as Headers, body, redirects };
    }
  } catch (err) {
    throw asFetchError(err, timeout, opts.timeoutMs);
  } finally {
    agent.destroy().catch(() => {});
  }
}

async function readCapped(res: Awaited<ReturnType<FetchLike>>, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw pageTooLarge(maxBytes);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw pageTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** Operational errors keep their code; network failures become `url_unreachable`. */
function asFetchError(err: unknown, timeout: AbortSignal, timeoutMs: number): AppError {
  if (err instanceof AppError) return err;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof AppError) return cause;
  if (timeout.aborted) return urlUnreachable(`it did not answer within ${Math.round(timeoutMs / 100) / 10} s`, { cause: 'timeout' });
  const code = (cause as { code?: unknown } | undefined)?.code ?? (err as { code?: unknown }).code;
  return urlUnreachable('the connection failed', { cause: typeof code === 'string' ? code : 'network' });
}
