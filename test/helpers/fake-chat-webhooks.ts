import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Plays the receiving end of incoming webhooks on 127.0.0.1: Slack (`/services/T/B/token`,
 * answers 200 "ok" or a plain-text error), Discord (`/api/webhooks/id/token`, answers 204 or
 * a JSON error) and a generic receiver (`/hooks/name`) that verifies the Subscout signature
 * the way a customer's server would. Payloads are checked against each service's documented
 * limits, so an oversized message fails here as it would there.
 */
export interface ReceivedRequest {
  service: 'slack' | 'discord' | 'webhook' | 'unknown';
  /** The last path segment: Slack/Discord token or webhook name. */
  name: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: unknown;
  /** What the fake answered. */
  status: number;
  /** Generic webhooks: the signature checked out with the registered secret. */
  signatureValid?: boolean;
}

export interface FakeChatWebhooks {
  origin: string;
  slackUrl(token: string): string;
  discordUrl(token: string): string;
  webhookUrl(name: string): string;
  /** The secret the generic receiver `name` verifies signatures with. */
  setWebhookSecret(name: string, secret: string): void;
  /** The next answers for `name`, before normal behaviour resumes (e.g. [500, 500]). */
  script(name: string, statuses: number[]): void;
  /** Runs `hook` when a request for `name` arrives and answers only once it has finished. */
  beforeAnswer(name: string, hook: () => Promise<void>): void;
  /** Every request received, in order; accepted ones only with `{ accepted: true }`. */
  received(filter?: { name?: string; accepted?: boolean }): ReceivedRequest[];
  close(): Promise<void>;
}

const SLACK_BLOCK_TYPES = new Set(['section', 'context', 'divider', 'header', 'actions', 'image', 'rich_text']);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Slack answers 400 with `invalid_payload`, `no_text` or `invalid_blocks`. */
function slackProblem(json: unknown): string | undefined {
  if (!isObj(json)) return 'invalid_payload';
  const blocks = json.blocks;
  if (typeof json.text !== 'string' && !Array.isArray(blocks)) return 'no_text';
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  for (const b of blocks) {
    if (!isObj(b) || !SLACK_BLOCK_TYPES.has(str(b.type))) return 'invalid_blocks';
    const text = isObj(b.text) ? str(b.text.text) : '';
    if (b.type === 'header' && (text.length === 0 || text.length > 150 || (b.text as Obj).type !== 'plain_text')) return 'invalid_blocks';
    if (b.type === 'section' && text.length > 3000) return 'invalid_blocks';
    if (b.type === 'context' && (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 10)) return 'invalid_blocks';
  }
  return undefined;
}

/** Discord answers 400 `{ code: 50035, message: 'Invalid Form Body' }`; 50006 for an empty message. */
function discordProblem(json: unknown): { code: number; message: string } | undefined {
  const invalid = { code: 50035, message: 'Invalid Form Body' };
  if (!isObj(json)) return invalid;
  const content = json.content === undefined ? '' : json.content;
  const embeds = json.embeds === undefined ? [] : json.embeds;
  if (typeof content !== 'string' || content.length > 2000 || !Array.isArray(embeds) || embeds.length > 10) return invalid;
  if (content.length === 0 && embeds.length === 0) return { code: 50006, message: 'Cannot send an empty message' };
  let total = 0;
  for (const e of embeds) {
    if (!isObj(e)) return invalid;
    const title = str(e.title);
    const description = str(e.description);
    const fields = Array.isArray(e.fields) ? e.fields.filter(isObj) : [];
    const footer = isObj(e.footer) ? str(e.footer.text) : '';
    if (title.length > 256 || description.length > 4096 || fields.length > 25 || footer.length > 2048) return invalid;
    for (const f of fields) if (str(f.name).length > 256 || str(f.value).length > 1024 || str(f.value).length === 0) return invalid;
    total += title.length + description.length + footer.length + fields.reduce((n, f) => n + str(f.name).length + str(f.value).length, 0);
  }
  return total > 6000 ? invalid : undefined;
}

function verify(secret: string | undefined, headers: IncomingMessage['headers'], body: string, nowMs: number): boolean {
  const ts = headers['x-subscout-timestamp'];
  const sig = headers['x-subscout-signature'];
  if (!secret || typeof ts !== 'string' || typeof sig !== 'string') return false;
  if (Math.abs(nowMs / 1000 - Number(ts)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`);
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** `now` is the receiver's clock for the replay window (5 minutes), for tests that fake time. */
export async function startFakeChatWebhooks(opts: { now?: () => number } = {}): Promise<FakeChatWebhooks> {
  const now = opts.now ?? Date.now;
  const log: ReceivedRequest[] = [];
  const secrets = new Map<string, string>();
  const scripts = new Map<string, number[]>();
  const hooks = new Map<string, () => Promise<void>>();

  function answer(res: ServerResponse, status: number, body: string, type = 'text/plain'): number {
    res.writeHead(status, status === 204 ? {} : { 'content-type': type });
    res.end(status === 204 ? undefined : body);
    return status;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const segments = path.split('/').filter(Boolean);
    const name = segments.at(-1) ?? '';
    const service: ReceivedRequest['service'] =
      segments[0] === 'services' && segments.length === 4
        ? 'slack'
        : segments[0] === 'api' && segments[1] === 'webhooks' && segments.length === 4
          ? 'discord'
          : segments[0] === 'hooks' && segments.length === 2
            ? 'webhook'
            : 'unknown';
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const entry: ReceivedRequest = { service, name, headers: req.headers, body, json, status: 0 };
    log.push(entry);

    if (req.method !== 'POST') {
      entry.status = answer(res, 405, 'method not allowed');
      return;
    }
    await hooks.get(name)?.();
    const scripted = scripts.get(name)?.shift();
    if (scripted !== undefined) {
      entry.status = answer(res, scripted, scripted >= 500 ? 'upstream trouble' : 'scripted refusal');
      return;
    }
    const jsonType = (req.headers['content-type'] ?? '').startsWith('application/json');
    if (service === 'slack') {
      if (name === 'revoked') entry.status = answer(res, 403, 'invalid_token');
      else if (!jsonType) entry.status = answer(res, 400, 'invalid_payload');
      else {
        const problem = slackProblem(json);
        entry.status = problem ? answer(res, 400, problem) : answer(res, 200, 'ok');
      }
    } else if (service === 'discord') {
      const problem = jsonType ? discordProblem(json) : { code: 50006, message: 'Cannot send an empty message' };
      if (name === 'deleted') entry.status = answer(res, 404, JSON.stringify({ message: 'Unknown Webhook', code: 10015 }), 'application/json');
      else if (problem) entry.status = answer(res, 400, JSON.stringify(problem), 'application/json');
      else entry.status = answer(res, 204, '');
    } else if (service === 'webhook') {
      entry.signatureValid = verify(secrets.get(name), req.headers, body, now());
      entry.status = entry.signatureValid ? answer(res, 200, '{"received":true}', 'application/json') : answer(res, 401, 'bad signature');
    } else {
      entry.status = answer(res, 404, 'no_service');
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    slackUrl: (token) => `${origin}/services/T0001/B0001/${token}`,
    discordUrl: (token) => `${origin}/api/webhooks/1234567890/${token}`,
    webhookUrl: (name) => `${origin}/hooks/${name}`,
    setWebhookSecret: (name, secret) => secrets.set(name, secret),
    script: (name, statuses) => scripts.set(name, [...statuses]),
    beforeAnswer: (name, hook) => hooks.set(name, hook),
    received: (filter = {}) =>
      log.filter(
        (r) =>
          (filter.name === undefined || r.name === filter.name) &&
          (filter.accepted === undefined || (r.status >= 200 && r.status < 300) === filter.accepted),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
