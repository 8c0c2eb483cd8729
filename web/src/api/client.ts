/**
 * The dashboard's one HTTP client: same-origin cookie auth, JSON in and out, problem+json
 * errors turned into ApiError. Responses are camel-cased and parsed with zod at this
 * boundary, so the pages only ever see checked, typed values.
 */
import type { z } from 'zod';

export interface Problem {
  status: number;
  code: string;
  title?: string;
  detail?: string;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `Request failed (${problem.status})`);
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): string {
    return this.problem.code;
  }
}

/** A route the server does not offer (yet): pages show "not available" instead of an error. */
export function isMissingRoute(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404 && (e.code === 'route_not_found' || e.code === 'not_found');
}

export const UNAUTHORIZED_EVENT = 'subscout:unauthorized';

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
}

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The API may speak snake_case; the dashboard reads camelCase. Keys only, never values. */
export function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelize(v)]));
  }
  return value;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Request bodies go out in the API's snake_case. */
export function snakeize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), snakeize(v)]));
  }
  return value;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = { status: res.status, code: `http_${res.status}`, title: res.statusText };
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object') return { ...fallback, ...(body as Record<string, unknown>) } as Problem;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return fallback;
}

export async function request<T = unknown>(path: string, opts: RequestOptions<T> = {}): Promise<T> {
  const init: RequestInit = {
    method: opts.method ?? 'GET',
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
    signal: opts.signal,
  };
  if (opts.body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(snakeize(opts.body));
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, code: 'network_error', detail: 'The server cannot be reached. Is it running?' });
  }
  if (!res.ok) {
    const problem = await readProblem(res);
    if (res.status === 401 && path !== '/auth/session' && path !== '/auth/login') {
      window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    }
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = camelize(text ? (JSON.parse(text) as unknown) : undefined);
  if (!opts.schema) return data as T;
  const parsed = opts.schema.safeParse(data);
  if (!parsed.success) {
    console.error('Unexpected API answer', path, parsed.error.issues);
    throw new ApiError({ status: 502, code: 'unexpected_response', detail: `The server's answer to ${path} was not understood.` });
  }
  return parsed.data;
}
