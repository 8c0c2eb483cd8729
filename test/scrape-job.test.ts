import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, type QueueName } from '../src/config/env.js';
import { validateRules } from '../src/modules/matching/rule-parser.js';
import { createBrowserPool } from '../src/modules/scrape/chromium.js';
import { createPageReader, type PageReader } from '../src/modules/scrape/page-reader.js';
import { createScrapeJob } from '../src/modules/scrape/scrape.jobs.js';
import { createScrapeService, type ScrapeView } from '../src/modules/scrape/scrape.service.js';
import { createRedisCache } from '../src/platform/cache/redis-cache.js';
import { AppError } from '../src/platform/errors.js';
import { createLogger } from '../src/platform/logger.js';
import { createBullmqQueueSystem } from '../src/platform/queue/bullmq-queue.js';
import type { Redis } from '../src/platform/redis.js';
import { clearRedisPrefix, createTestRedis, TEST_REDIS_URL, uniqueRedisPrefix } from './helpers/services.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
// Launching a browser on a busy machine takes seconds; a page test may launch two.
const CHROMIUM_TEST_TIMEOUT_MS = 120_000;
if (!hasChromium) console.warn(`scrape-job: no Chromium at ${CHROMIUM}; the rendering tests are skipped (.ci/run installs it)`);

const fixture = (name: string) => readFileSync(new URL(`./fixtures-scrape/${name}`, import.meta.url), 'utf8');
const log = createLogger({ level: 'silent', pretty: false });
const concurrency = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 1])) as Record<QueueName, number>;
const userA = '00000000-0000-4000-8000-00000000000a';
const userB = '00000000-0000-4000-8000-00000000000b';
// The test server is on loopback: only that one address is let through, explicitly.
const policy = { allowAddresses: ['127.0.0.1'] };
const limits = { timeoutMs: 15_000, maxBytes: 1_000_000 };

describe('scrape job end to end', () => {
  let site: Server;
  let trap: Server;
  let base: string;
  let trapPort: number;
  const trapHits: string[] = [];
  let redis: Redis;
  let prefix: string;
  let queue: ReturnType<typeof createBullmqQueueSystem>;
  const browser = createBrowserPool({ executablePath: CHROMIUM, policy, ...limits, log });
  let service: ReturnType<typeof createScrapeService>;

  // A client-rendered page: the text only exists once its script has run, and the script
  // also tries to reach private addresses.
  const appShell = () =>
    `<!doctype html><html><head><title>ShutterDesk</title></head><body><div id="root"></div>
     <img src="http://127.0.0.2:${trapPort}/pixel.png">
     <script src="/app.js"></script>
     <script src="http://127.0.0.2:${trapPort}/evil.js"></script>
     <iframe src="http://127.0.0.2:${trapPort}/frame"></iframe></body></html>`;
  const appJs = () => `
    fetch('http://127.0.0.2:${trapPort}/steal').catch(() => {});
    fetch('http://169.254.169.254/latest/meta-data/').catch(() => {});
    try { new WebSocket('ws://127.0.0.2:${trapPort}/ws'); } catch (e) {}
    fetch('/content.json').then((r) => r.json()).then((c) => {
      document.title = c.title;
      document.getElementById('root').innerHTML = c.html;
    });`;

  beforeAll(async () => {
    site = createServer((req, res) => {
      const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
      switch (req.url) {
        case '/':
          return html(fixture('tasklane.html'));
        case '/app':
          return html(appShell());
        case '/app.js':
          return res.writeHead(200, { 'content-type': 'text/javascript' }).end(appJs());
        case '/content.json': {
          const page = fixture('shutterdesk.html');
          const body = page.slice(page.indexOf('<body>') + 6, page.indexOf('</body>'));
          return res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ title: 'ShutterDesk - Studio management for photographers', html: body }));
        }
        case '/to-private':
          return res.writeHead(302, { location: 'http://10.0.0.1/' }).end();
        case '/huge':
          return html(`<p>${'x'.repeat(2_000_000)}</p>`);
        case '/pdf':
          return res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4');
        default:
          return res.writeHead(404).end();
      }
    });
    trap = createServer((req, res) => {
      trapHits.push(req.url ?? '');
      res.end('secret');
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => trap.listen(0, '127.0.0.2', r));
    base = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    trapPort = (trap.address() as AddressInfo).port;

    redis = createTestRedis();
    prefix = uniqueRedisPrefix('scrape');
    const cache = createRedisCache(redis, prefix);
    queue = createBullmqQueueSystem({ redisUrl: TEST_REDIS_URL, prefix, log, concurrency });
    const reader = createPageReader({ policy, ...limits, browser, render: 'auto', log });
    await queue.startWorkers([createScrapeJob({ cache, reader })], ['scrape']);
    service = createScrapeService({ cache, queue, policy });
  });

  afterAll(async () => {
    await queue?.close(5_000);
    await browser.close();
    await clearRedisPrefix(redis, prefix);
    redis.disconnect();
    site.closeAllConnections();
    trap.closeAllConnections();
    await new Promise((r) => site.close(r));
    await new Promise((r) => trap.close(r));
  });

  async function settled(userId: string, id: string): Promise<ScrapeView> {
    for (let i = 0; i < 600; i++) {
      const view = await service.getScrape(userId, id);
      if (view.status === 'done' || view.status === 'failed') return view;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`scrape ${id} did not finish`);
  }

  it('when a static product page is scraped, then a campaign suggestion is stored for its owner', async () => {
    const { id, status } = await service.requestScrape(userA, `${base}/`);
    expect(status).toBe('queued');
    const view = await settled(userA, id);
    expect(view.status).toBe('done');
    expect(view.result?.via).toBe('fetch');
    const s = view.result!.suggestion;
    expect(s.productName).toBe('Tasklane');
    expect(s.rules.some((r) => r.includes('"project management"'))).toBe(true);
    expect(validateRules(s.rules)).toEqual([]);
    expect(s.subreddits).toContain('projectmanagement');
  });

  it('when another user asks for the request, then it is not found', async () => {
    const { id } = await service.requestScrape(userA, `${base}/`);
    await expect(service.getScrape(userB, id)).rejects.toMatchObject({ code: 'scrape_request_not_found', status: 404 });
    await settled(userA, id);
  });

  it('when the URL is private, then the request is refused at once and nothing is queued', async () => {
    await expect(service.requestScrape(userA, 'http://10.0.0.1/')).rejects.toMatchObject({ code: 'url_not_allowed', status: 400 });
    await expect(service.requestScrape(userA, 'file:///etc/passwd')).rejects.toMatchObject({ code: 'url_not_allowed' });
    const counts = await queue.counts();
    expect(counts.scrape.waiting + counts.scrape.delayed).toBe(0);
  });

  it('when the page redirects to a private address, then the request fails with url_not_allowed', async () => {
    const { id } = await service.requestScrape(userA, `${base}/to-private`);
    const view = await settled(userA, id);
    expect(view.status).toBe('failed');
    expect(view.error?.code).toBe('url_not_allowed');
  });

  it('when the page is too large or not HTML, then the request fails with a stable code', async () => {
    const huge = await service.requestScrape(userA, `${base}/huge`);
    const pdf = await service.requestScrape(userA, `${base}/pdf`);
    expect((await settled(userA, huge.id)).error?.code).toBe('page_too_large');
    expect((await settled(userA, pdf.id)).error?.code).toBe('page_not_html');
  });

  it.skipIf(!hasChromium)(
    'when the page is rendered by its scripts, then Chromium reads it and its sub-requests to private addresses never leave',
    async () => {
      const { id } = await service.requestScrape(userA, `${base}/app`);
      const view = await settled(userA, id);
      expect(view.status).toBe('done');
      expect(view.result?.via).toBe('chromium');
      const s = view.result!.suggestion;
      expect(s.productName).toBe('ShutterDesk');
      expect(s.categories.join(' ')).toContain('photography');
      expect(validateRules(s.rules)).toEqual([]);
      expect(trapHits).toEqual([]);
    },
    CHROMIUM_TEST_TIMEOUT_MS,
  );

  it.skipIf(!hasChromium)('when Chromium renders a page, then every refused sub-request is reported as blocked', async () => {
    const rendered = await browser.render(`${base}/app`);
    expect(rendered.html).toContain('Run your photography business');
    expect(rendered.blocked).toEqual(
      expect.arrayContaining([
        `http://127.0.0.2:${trapPort}/evil.js`,
        `http://127.0.0.2:${trapPort}/steal`,
        `http://127.0.0.2:${trapPort}/frame`,
        'http://169.254.169.254/latest/meta-data/',
      ]),
    );
    expect(trapHits).toEqual([]);
  }, CHROMIUM_TEST_TIMEOUT_MS);

  it.skipIf(!hasChromium)('when Chromium is asked for a private, file: or chrome: page directly, then navigation is refused', async () => {
    await expect(browser.render('http://10.0.0.1/')).rejects.toMatchObject({ code: 'url_not_allowed' });
    await expect(browser.render('file:///etc/passwd')).rejects.toMatchObject({ code: 'url_not_allowed' });
    await expect(browser.render('chrome://version')).rejects.toMatchObject({ code: 'url_not_allowed' });
    await expect(browser.render(`${base}/to-private`)).rejects.toMatchObject({ code: 'url_not_allowed' });
  }, CHROMIUM_TEST_TIMEOUT_MS);

  it.skipIf(!hasChromium)('when a browser has served its quota of pages, then the next page gets a fresh browser', async () => {
    const pool = createBrowserPool({ executablePath: CHROMIUM, policy, ...limits, log, pagesPerBrowser: 2 });
    try {
      await pool.render(`${base}/`);
      const firstPid = pool.status().pid;
      await pool.render(`${base}/`);
      expect(pool.status().launches).toBe(1);
      const third = await pool.render(`${base}/`);
      expect(third.html).toContain('Tasklane');
      expect(pool.status().launches).toBe(2);
      expect(pool.status().pid).not.toBe(firstPid);
    } finally {
      await pool.close();
    }
  }, CHROMIUM_TEST_TIMEOUT_MS);

  it.skipIf(!hasChromium)('when Chromium crashes, then the next page starts a new one', async () => {
    const pool = createBrowserPool({ executablePath: CHROMIUM, policy, ...limits, log });
    try {
      await pool.render(`${base}/`);
      const pid = pool.status().pid!;
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 100 && pool.status().pid !== undefined; i++) await new Promise((r) => setTimeout(r, 50));
      const again = await pool.render(`${base}/`);
      expect(again.html).toContain('Tasklane');
      expect(pool.status().launches).toBe(2);
    } finally {
      await pool.close();
    }
  }, CHROMIUM_TEST_TIMEOUT_MS);

  it('when Chromium is not installed, then the page is read with a plain fetch', async () => {
    const missing = createBrowserPool({ executablePath: '/nonexistent/chromium', policy, ...limits, log });
    const reader = createPageReader({ policy, ...limits, browser: missing, render: 'always', log });
    const read = await reader.read(`${base}/`);
    expect(read.via).toBe('fetch');
    expect(read.page.title).toContain('Tasklane');
  });

  it('when the job runs again for a finished request, then the stored result is kept and the page is not read again', async () => {
    const { id } = await service.requestScrape(userA, `${base}/`);
    const before = await settled(userA, id);
    let reads = 0;
    const counting: PageReader = {
      async read() {
        reads++;
        throw new AppError(500, 'unexpected', 'must not be called');
      },
    };
    const job = createScrapeJob({ cache: createRedisCache(redis, prefix), reader: counting });
    await job.process({ requestId: id, userId: userA, url: `${base}/` }, { jobId: id, attempt: 1, log });
    expect(reads).toBe(0);
    expect(await service.getScrape(userA, id)).toEqual(before);
  });
});
