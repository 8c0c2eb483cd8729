import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { pageTooLarge, type SafeFetchOptions, safeFetch } from '../../platform/net/safe-fetch.js';
import { assertPublicUrl, checkUrlShape, type UrlPolicy, urlUnreachable } from '../../platform/net/ssrf-guard.js';

export interface BrowserPoolOptions {
  executablePath: string;
  /** Applied to the page and to every sub-request it makes. */
  policy: UrlPolicy;
  /** Per page: navigation, scripts and settling together. */
  timeoutMs: number;
  /** Per page: the sum of every response body the page receives. */
  maxBytes: number;
  /** Restart the browser after this many pages, so leaks do not accumulate (default 25). */
  pagesPerBrowser?: number;
  /** Requests one page may make before the rest are refused (default 60). */
  maxRequestsPerPage?: number;
  log: Logger;
}

export interface RenderedPage {
  /** The main frame's URL once loaded (after redirects). */
  url: string;
  html: string;
  /** Sub-requests refused by the address guard. */
  blocked: string[];
}

/** One headless Chromium, launched on first use and shared by the pages rendered. */
export interface BrowserPool {
  /** False when no Chromium binary is installed at the configured path. */
  readonly installed: boolean;
  render(url: string): Promise<RenderedPage>;
  /** Browsers launched so far and the running one's pid, for logs, metrics and tests. */
  status(): { launches: number; pid: number | undefined };
  close(): Promise<void>;
}

export class ChromiumUnavailableError extends Error {
  override name = 'ChromiumUnavailableError';
}

const LAUNCH_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--mute-audio',
  '--hide-scrollbars',
  // Every request is answered from Node (through the guarded fetch) by interception. Anything
  // that escapes interception (WebSockets, service workers, prefetch) meets a dead proxy.
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
  // Keep iframes in the page's process, where the page's interception sees them.
  '--disable-features=IsolateOrigins,site-per-process,Translate,MediaRouter,OptimizationHints',
  '--js-flags=--max-old-space-size=256',
  'about:blank',
];

// Enough to run a single-page app; images, fonts, styles and media are not needed for text.
const FETCHED_TYPES = new Set(['document', 'script', 'xhr', 'fetch']);
// Chromium decodes nothing we hand it, and it must not reuse a framing that no longer applies.
const DROPPED_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'set-cookie']);

interface Instance {
  browser: Browser;
  active: number;
  served: number;
  retired: boolean;
}

export function createBrowserPool(opts: BrowserPoolOptions): BrowserPool {
  const pagesPerBrowser = opts.pagesPerBrowser ?? 25;
  const installed = existsSync(opts.executablePath);
  let current: Promise<Instance> | undefined;
  let running: Instance | undefined;
  let launches = 0;
  let closed = false;

  async function launch(): Promise<Instance> {
    if (!installed) throw new ChromiumUnavailableError(`no Chromium at ${opts.executablePath}`);
    try {
      // Puppeteer gives each launch a fresh temporary profile directory and removes it on close.
      const browser = await puppeteer.launch({
        executablePath: opts.executablePath,
        ignoreDefaultArgs: true,
        args: LAUNCH_ARGS,
        pipe: true,
        timeout: 30_000,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      opts.log.info({ pid: browser.process()?.pid }, 'chromium started');
      return { browser, active: 0, served: 0, retired: false };
    } catch (err) {
      throw new ChromiumUnavailableError(`Chromium did not start: ${(err as Error).message}`);
    }
  }

  function start(): Promise<Instance> {
    const starting: Promise<Instance> = launch().then(
      (instance) => {
        launches++;
        running = instance;
        instance.browser.on('disconnected', () => {
          if (!instance.retired) opts.log.warn('chromium exited; the next page starts a new one');
          instance.retired = true;
          if (current === starting) current = undefined;
          if (running === instance) running = undefined;
        });
        return instance;
      },
      (err: unknown) => {
        if (current === starting) current = undefined;
        throw err;
      },
    );
    current = starting;
    return starting;
  }

  async function acquire(): Promise<Instance> {
    if (closed) throw new ChromiumUnavailableError('the browser pool is closed');
    const starting = current ?? start();
    const instance = await starting;
    instance.active++;
    instance.served++;
    if (instance.served >= pagesPerBrowser) {
      // Later pages get a fresh browser; this one closes once its last page is done.
      instance.retired = true;
      if (current === starting) current = undefined;
    }
    return instance;
  }

  async function release(instance: Instance): Promise<void> {
    instance.active--;
    if (instance.retired && instance.active === 0 && instance.browser.connected) {
      await instance.browser.close().catch((err: unknown) => opts.log.warn({ err }, 'chromium did not close cleanly'));
    }
  }

  return {
    installed,
    async render(url) {
      // Interception does not see every scheme (file:, chrome:), so the page itself is checked first.
      await assertPublicUrl(url, opts.policy);
      const instance = await acquire();
      try {
        return await renderPage(instance.browser, url, opts);
      } finally {
        await release(instance);
      }
    },
    status() {
      return { launches, pid: running && !running.retired ? running.browser.process()?.pid : undefined };
    },
    async close() {
      closed = true;
      const pending = current;
      current = undefined;
      const instance = await pending?.catch(() => undefined);
      if (instance) {
        instance.retired = true;
        await instance.browser.close().catch(() => {});
      }
    },
  };
}

async function renderPage(browser: Browser, url: string, opts: BrowserPoolOptions): Promise<RenderedPage> {
  const deadline = Date.now() + opts.timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'deny' } });
  const blocked: string[] = [];
  let mainError: AppError | undefined;
  let requests = 0;
  let bytes = 0;
  try {
    const page = await context.newPage();
    page.on('dialog', (d) => void d.dismiss().catch(() => {}));
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      void answer(request).catch((err: unknown) => opts.log.debug({ err }, 'request interception failed'));
    });

    async function answer(request: HTTPRequest): Promise<void> {
      if (request.isInterceptResolutionHandled()) return;
      const isMain = request.isNavigationRequest() && request.frame() === page.mainFrame();
      const reqUrl = request.url();
      if (!isMain && (!FETCHED_TYPES.has(request.resourceType()) || request.method() !== 'GET')) {
        await request.abort('blockedbyclient');
        return;
      }
      if (++requests > (opts.maxRequestsPerPage ?? 60)) {
        await request.abort('blockedbyclient');
        return;
      }
      try {
        checkUrlShape(reqUrl);
        const res = await safeFetch(reqUrl, {
          ...opts.policy,
          maxBytes: Math.max(0, opts.maxBytes - bytes),
          timeoutMs: remaining(),
          redirect: 'manual',
        } satisfies SafeFetchOptions);
        bytes += res.body.byteLength;
        const headers: Record<string, string> = {};
        res.headers.forEach((value, name) => {
          if (!DROPPED_HEADERS.has(name)) headers[name] = value;
        });
        await request.respond({ status: res.status, headers, body: res.body });
      } catch (err) {
        const appErr = err instanceof AppError ? err : urlUnreachable('the request failed');
        if (appErr.code === 'url_not_allowed') blocked.push(reqUrl);
        if (isMain) mainError ??= appErr;
        await request.abort(appErr.code === 'url_not_allowed' ? 'blockedbyclient' : 'failed');
      }
    }

    try {
      await page.goto(url, { waitUntil: 'load', timeout: remaining() });
    } catch (err) {
      if (mainError) throw mainError;
      if (bytes >= opts.maxBytes) throw pageTooLarge(opts.maxBytes);
      throw urlUnreachable((err as Error).name === 'TimeoutError' ? 'it did not load in time' : 'it did not load', {
        cause: (err as Error).name === 'TimeoutError' ? 'timeout' : 'navigation',
      });
    }
    if (mainError) throw mainError;
    // Client-rendered pages fill in after `load`; give their XHRs a moment, within the budget.
    await page.waitForNetworkIdle({ idleTime: 300, timeout: Math.min(remaining(), 3_000) }).catch(() => {});
    return { url: page.url(), html: await contentOf(page, opts.maxBytes), blocked };
  } finally {
    await context.close().catch(() => {});
  }
}

async function contentOf(page: Page, maxBytes: number): Promise<string> {
  const html = await page.content();
  return html.length > maxBytes ? html.slice(0, maxBytes) : html;
}
