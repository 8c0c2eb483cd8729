import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local server speaking OpenAI's chat-completions protocol (POST /v1/chat/completions),
 * scriptable per request, recording every request it gets.
 */

export interface RecordedRequest {
  headers: IncomingMessage['headers'];
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; strict: boolean; schema: unknown } };
    [k: string]: unknown;
  };
}

export type FakeBehaviour =
  | 'good'
  | 'malformed'
  | 'hang'
  | { status: number; retryAfter?: string }
  /** Any other answer content, computed from the request. */
  | { content: (req: RecordedRequest) => string };

interface FakeItem {
  id: string;
  title: string;
  text: string;
}

const BUYING = /\b(recommend\w*|alternatives?|looking for|any (tool|app)|suggestions?)\b/i;

/** The answer a well-behaved model gives: high for items asking for something, low otherwise. */
export function goodAnswer(req: RecordedRequest): string {
  const user = req.body.messages.find((m) => m.role === 'user')?.content ?? '{}';
  const { items } = JSON.parse(user) as { items: FakeItem[] };
  return JSON.stringify({
    results: items.map((it) => {
      const buying = BUYING.test(`${it.title} ${it.text}`);
      return {
        id: it.id,
        score: buying ? 88 : 12,
        intent: buying ? 'recommendation_request' : 'other',
        reason: buying ? 'The author asks which tool to use.' : 'The author does not want anything.',
      };
    }),
  });
}

export interface FakeOpenAi {
  /** Base URL to give the SDK (ends in /v1). */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Behaviours for the next requests, in order; then the default applies. */
  script(...behaviours: FakeBehaviour[]): void;
  setDefault(behaviour: FakeBehaviour): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  const queue: FakeBehaviour[] = [];
  let fallback: FakeBehaviour = 'good';
  const sockets = new Set<Socket>();
  let completionSeq = 0;

  const answer = (res: ServerResponse, req: RecordedRequest, content: string) => {
    const prompt = JSON.stringify(req.body.messages).length;
    const body = {
      id: `chatcmpl-fake-${++completionSeq}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: req.body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: {
        prompt_tokens: Math.ceil(prompt / 4),
        completion_tokens: Math.ceil(content.length / 4),
        total_tokens: Math.ceil(prompt / 4) + Math.ceil(content.length / 4),
      },
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
        return;
      }
      const recorded: RecordedRequest = {
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedRequest['body'],
      };
      requests.push(recorded);
      const behaviour = queue.shift() ?? fallback;
      if (behaviour === 'hang') return;
      if (behaviour === 'good') return answer(res, recorded, goodAnswer(recorded));
      if (behaviour === 'malformed') return answer(res, recorded, '{"results": [{"id": "1", "score": "high"');
      if ('content' in behaviour) return answer(res, recorded, behaviour.content(recorded));
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
      res.writeHead(behaviour.status, headers);
      res.end(JSON.stringify({ error: { message: `fake status ${behaviour.status}`, type: 'server_error' } }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...b) => queue.push(...b),
    setDefault: (b) => {
      fallback = b;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
