import { Agent, fetch as undiciFetch } from 'undici';
import { AppError } from '../../platform/errors.js';
import { assertPublicUrl, guardedLookup, type UrlPolicy } from '../../platform/net/ssrf-guard.js';

/**
 * The one way notify sends HTTP: a JSON POST to a user-supplied URL through the SSRF guard
 * (public addresses only, checked before the request and again at connect time), bounded
 * in time and in the size of the answer read, never following redirects (a redirect could
 * lead anywhere, and a webhook has no reason to send one).
 */
export interface HttpPostResult {
  status: number;
  /** The first bytes of the answer, for error messages. */
  body: string;
}

/** The URL may not be called at all: retrying cannot help. */
export class RefusedUrlError extends Error {
  override name = 'RefusedUrlError';
}

export type HttpPost = (url: string, body: string, headers: Record<string, string>) => Promise<HttpPostResult>;

export interface HttpPostOptions {
  timeoutMs: number;
  maxResponseBytes?: number;
  /** Only tests widen it (`allowAddresses` for their 127.0.0.1 receivers). */
  policy?: UrlPolicy;
  userAgent?: string;
}

async function readCapped(res: Awaited<ReturnType<typeof undiciFetch>>, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

function refusal(err: unknown): RefusedUrlError | undefined {
  const e = err instanceof AppError ? err : (err as { cause?: unknown }).cause;
  return e instanceof AppError && e.code === 'url_not_allowed' ? new RefusedUrlError(e.message) : undefined;
}

export function createHttpPost(opts: HttpPostOptions): HttpPost {
  const max = opts.maxResponseBytes ?? 4096;
  const policy = opts.policy ?? {};
  const agent = new Agent({
    connect: { lookup: guardedLookup(policy), timeout: opts.timeoutMs },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
  return async (target, body, headers) => {
    try {
      const url = await assertPublicUrl(target, policy);
      const res = await undiciFetch(url, {
        method: 'POST',
        body,
        redirect: 'manual',
        dispatcher: agent,
        signal: AbortSignal.timeout(opts.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': opts.userAgent ?? 'Subscout-Alerts/1',
          ...headers,
        },
      });
      return { status: res.status, body: await readCapped(res, max) };
    } catch (err) {
      throw refusal(err) ?? err;
    }
  };
}

/** For validating a channel's URL when it is saved: the same policy the sender applies. */
export function createUrlCheck(policy: UrlPolicy = {}): (url: URL) => Promise<void> {
  return async (url) => {
    await assertPublicUrl(url, policy);
  };
}
