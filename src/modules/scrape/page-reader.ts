import { ValidationError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { safeFetch } from '../../platform/net/safe-fetch.js';
import type { UrlPolicy } from '../../platform/net/ssrf-guard.js';
import { type BrowserPool, ChromiumUnavailableError } from './chromium.js';
import { extractPageText, type PageText } from './page-text.js';

export type RenderMode = 'auto' | 'always' | 'never';

export interface PageReaderDeps {
  policy: UrlPolicy;
  maxBytes: number;
  timeoutMs: number;
  /** Absent or not installed: plain fetch only. */
  browser?: BrowserPool;
  /** `auto` renders only pages whose static HTML says too little (client-rendered apps). */
  render?: RenderMode;
  log: Logger;
}

export interface ReadPage {
  url: string;
  page: PageText;
  via: 'chromium' | 'fetch';
}

// Below this much text the static HTML is probably an empty app shell waiting for scripts.
const THIN_TEXT_CHARS = 400;

function isHtml(contentType: string | null): boolean {
  return contentType === null || /\b(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
}

function decode(body: Uint8Array, contentType: string | null): string {
  const charset = /charset=["']?([\w-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/** Reads a product page as text: plain fetch for static pages, Chromium for the rest, fetch when Chromium is missing. */
export function createPageReader(deps: PageReaderDeps) {
  const mode = deps.render ?? 'auto';
  const canRender = () => mode !== 'never' && deps.browser !== undefined && deps.browser.installed;

  async function viaFetch(url: string): Promise<ReadPage> {
    const res = await safeFetch(url, { ...deps.policy, maxBytes: deps.maxBytes, timeoutMs: deps.timeoutMs });
    if (res.status >= 400) {
      throw new ValidationError(`The page answered HTTP ${res.status}.`, { status: res.status }, 'url_unreachable');
    }
    const contentType = res.headers.get('content-type');
    if (!isHtml(contentType)) {
      throw new ValidationError('The address is not a web page (HTML).', { contentType }, 'page_not_html');
    }
    return { url: res.url, page: extractPageText(decode(res.body, contentType)), via: 'fetch' };
  }

  async function viaChromium(url: string): Promise<ReadPage> {
    const rendered = await deps.browser!.render(url);
    if (rendered.blocked.length > 0) deps.log.info({ blocked: rendered.blocked.length }, 'page requests refused by the address guard');
    return { url: rendered.url, page: extractPageText(rendered.html), via: 'chromium' };
  }

  return {
    async read(url: string): Promise<ReadPage> {
      if (mode === 'always' && canRender()) {
        try {
          return await viaChromium(url);
        } catch (err) {
          if (!(err instanceof ChromiumUnavailableError)) throw err;
          deps.log.warn({ err }, 'chromium unavailable; reading the page without it');
          return viaFetch(url);
        }
      }
      const fetched = await viaFetch(url);
      if (!canRender() || fetched.page.text.length >= THIN_TEXT_CHARS) return fetched;
      try {
        const rendered = await viaChromium(fetched.url);
        return rendered.page.text.length > fetched.page.text.length ? rendered : fetched;
      } catch (err) {
        // The static text is still worth a suggestion; a browser failure should not waste it.
        deps.log.warn({ err }, 'rendering failed; using the static page');
        return fetched;
      }
    },
  };
}

export type PageReader = ReturnType<typeof createPageReader>;
