import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/platform/errors.js';
import { isPublicAddress } from '../src/platform/net/ip-ranges.js';
import { safeFetch } from '../src/platform/net/safe-fetch.js';
import { assertPublicUrl, type Resolver } from '../src/platform/net/ssrf-guard.js';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return 'no error';
}

const fixedResolver =
  (table: Record<string, string[]>): Resolver =>
  async (host) => {
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found;
  };

describe('assertPublicUrl', () => {
  const refusedLiterals = [
    ['IPv4 loopback', 'http://127.0.0.1/'],
    ['IPv4 loopback elsewhere in 127/8', 'http://127.5.6.7:8080/'],
    ['IPv4 loopback written as one number', 'http://2130706433/'],
    ['IPv4 loopback written in hex', 'http://0x7f.1/'],
    ['IPv4 loopback written in octal', 'http://0177.0.0.1/'],
    ['private 10/8', 'http://10.1.2.3/'],
    ['private 172.16/12', 'http://172.20.0.1/'],
    ['private 192.168/16', 'https://192.168.1.1/'],
    ['link-local cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['carrier-grade NAT 100.64/10', 'http://100.64.0.1/'],
    ['this-network 0.0.0.0', 'http://0.0.0.0/'],
    ['multicast 224/4', 'http://224.0.0.1/'],
    ['reserved 240/4', 'http://240.0.0.1/'],
    ['broadcast', 'http://255.255.255.255/'],
    ['documentation 192.0.2/24', 'http://192.0.2.10/'],
    ['benchmarking 198.18/15', 'http://198.18.0.1/'],
    ['IPv6 loopback', 'http://[::1]/'],
    ['IPv6 unspecified', 'http://[::]/'],
    ['IPv6 link-local', 'http://[fe80::1]/'],
    ['IPv6 unique local fc00::/7', 'http://[fd12:3456::1]/'],
    ['IPv6 multicast', 'http://[ff02::1]/'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped IPv6 private', 'http://[::ffff:10.0.0.1]/'],
    ['NAT64 of a private address', 'http://[64:ff9b::a00:1]/'],
    ['6to4 of a private address', 'http://[2002:a00:1::1]/'],
    ['IPv6 documentation', 'http://[2001:db8::1]/'],
  ] as const;

  it.each(refusedLiterals)('when the URL is a %s address, then it is refused as url_not_allowed', async (_, url) => {
    expect(await codeOf(assertPublicUrl(url))).toBe('url_not_allowed');
  });

  it.each([
    ['file:', 'file:///etc/passwd'],
    ['chrome:', 'chrome://settings'],
    ['ftp:', 'ftp://example.com/'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<p>hi</p>'],
    ['gopher:', 'gopher://example.com/'],
  ])('when the scheme is %s, then it is refused', async (_, url) => {
    expect(await codeOf(assertPublicUrl(url, { resolve: fixedResolver({}) }))).toBe('url_not_allowed');
  });

  it('when the URL carries credentials or is not a URL, then it is refused', async () => {
    expect(await codeOf(assertPublicUrl('https://user:pw@example.com/'))).toBe('url_not_allowed');
    expect(await codeOf(assertPublicUrl('not a url'))).toBe('url_not_allowed');
  });

  it('when a host name resolves to a private address, then it is refused', async () => {
    const resolve = fixedResolver({ 'intranet.example': ['10.0.0.5'], 'meta.example': ['169.254.169.254'] });
    expect(await codeOf(assertPublicUrl('https://intranet.example/', { resolve }))).toBe('url_not_allowed');
    expect(await codeOf(assertPublicUrl('https://meta.example/', { resolve }))).toBe('url_not_allowed');
  });

  it('when a host name resolves to a public and a private address, then it is refused', async () => {
    const resolve = fixedResolver({ 'mixed.example': ['93.184.216.34', '2606:2800:220:1::1', 'fd00::1'] });
    expect(await codeOf(assertPublicUrl('https://mixed.example/', { resolve }))).toBe('url_not_allowed');
  });

  it('when a host name resolves only to public addresses, then the parsed URL is returned', async () => {
    const resolve = fixedResolver({ 'shop.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
    const url = await assertPublicUrl('https://shop.example/pricing?a=1', { resolve });
    expect(url.href).toBe('https://shop.example/pricing?a=1');
  });

  it('when the host name does not resolve, then it is url_unreachable', async () => {
    expect(await codeOf(assertPublicUrl('https://nowhere.example/', { resolve: fixedResolver({}) }))).toBe('url_unreachable');
  });

  it('when the system resolver says localhost, then it is refused with the default policy', async () => {
    expect(await codeOf(assertPublicUrl('http://localhost:3000/'))).toBe('url_not_allowed');
  });

  it('when an address is on the explicit allow-list, then only that address is let through', async () => {
    await expect(assertPublicUrl('http://127.0.0.1:9/', { allowAddresses: ['127.0.0.1'] })).resolves.toBeInstanceOf(URL);
    expect(await codeOf(assertPublicUrl('http://127.0.0.2:9/', { allowAddresses: ['127.0.0.1'] }))).toBe('url_not_allowed');
  });

  it('when classifying addresses, then ordinary public ones pass', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e']) {
      expect(isPublicAddress(a), a).toBe(true);
    }
    expect(isPublicAddress('not-an-ip')).toBe(false);
  });
});

describe('safeFetch against a local server', () => {
  let server: Server;
  let trap: Server;
  let base: string;
  let trapPort: number;
  let trapHits = 0;
  const allow = { allowAddresses: ['127.0.0.1'] };
  const limits = { maxBytes: 100_000, timeoutMs: 2_000 };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/ok': (_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>hello</h1>'),
    '/to-private': (_, res) => res.writeHead(302, { location: 'http://10.0.0.1/admin' }).end(),
    '/to-metadata': (_, res) => res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    '/to-trap': (_, res) => res.writeHead(307, { location: `http://127.0.0.2:${trapPort}/secret` }).end(),
    '/to-file': (_, res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    '/hop1': (_, res) => res.writeHead(302, { location: '/hop2' }).end(),
    '/hop2': (_, res) => res.writeHead(302, { location: '/ok' }).end(),
    '/loop': (_, res) => res.writeHead(302, { location: '/loop' }).end(),
    '/big-declared': (_, res) => res.writeHead(200, { 'content-length': '200000' }).end(Buffer.alloc(200_000, 97)),
    '/big-chunked': (_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      for (let i = 0; i < 30; i++) res.write(Buffer.alloc(10_000, 98));
      res.end();
    },
    '/gzip-bomb': (_, res) => {
      const packed = gzipSync(Buffer.alloc(5_000_000, 0));
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(packed.length) }).end(packed);
    },
    '/silent': () => {},
    '/stalls-mid-body': (_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<p>first part');
    },
  };

  beforeAll(async () => {
    server = createServer((req, res) => (routes[req.url ?? ''] ?? ((_, r) => r.writeHead(404).end()))(req, res));
    trap = createServer((_, res) => {
      trapHits++;
      res.end('secret');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => trap.listen(0, '127.0.0.2', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    trapPort = (trap.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    trap.closeAllConnections();
    await new Promise((r) => server.close(r));
    await new Promise((r) => trap.close(r));
  });

  it('when the default policy is used, then the loopback test server itself is refused', async () => {
    expect(await codeOf(safeFetch(`${base}/ok`, limits))).toBe('url_not_allowed');
  });

  it('when the page is allowed, then its body, status and final URL come back', async () => {
    const res = await safeFetch(`${base}/ok`, { ...limits, ...allow });
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body).toString()).toBe('<h1>hello</h1>');
    expect(res.url).toBe(`${base}/ok`);
  });

  it('when a redirect points to a private address, then it is refused', async () => {
    expect(await codeOf(safeFetch(`${base}/to-private`, { ...limits, ...allow }))).toBe('url_not_allowed');
    expect(await codeOf(safeFetch(`${base}/to-metadata`, { ...limits, ...allow }))).toBe('url_not_allowed');
    expect(await codeOf(safeFetch(`${base}/to-file`, { ...limits, ...allow }))).toBe('url_not_allowed');
  });

  it('when a redirect points to a loopback address off the allow-list, then that server is never contacted', async () => {
    expect(await codeOf(safeFetch(`${base}/to-trap`, { ...limits, ...allow }))).toBe('url_not_allowed');
    expect(trapHits).toBe(0);
  });

  it('when redirects stay allowed, then they are followed and recorded', async () => {
    const res = await safeFetch(`${base}/hop1`, { ...limits, ...allow });
    expect(res.url).toBe(`${base}/ok`);
    expect(res.redirects).toEqual([`${base}/hop1`, `${base}/hop2`]);
  });

  it('when a redirect loops, then it stops after maxRedirects', async () => {
    expect(await codeOf(safeFetch(`${base}/loop`, { ...limits, ...allow, maxRedirects: 3 }))).toBe('url_unreachable');
  });

  it('when redirects are manual, then the 3xx answer is handed back', async () => {
    const res = await safeFetch(`${base}/to-private`, { ...limits, ...allow, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://10.0.0.1/admin');
  });

  it('when the body is larger than maxBytes, then it is page_too_large (declared, streamed or compressed)', async () => {
    expect(await codeOf(safeFetch(`${base}/big-declared`, { ...limits, ...allow }))).toBe('page_too_large');
    expect(await codeOf(safeFetch(`${base}/big-chunked`, { ...limits, ...allow }))).toBe('page_too_large');
    expect(await codeOf(safeFetch(`${base}/gzip-bomb`, { ...limits, ...allow }))).toBe('page_too_large');
  });

  it('when the server never answers or stalls mid-body, then it times out as url_unreachable', async () => {
    const short = { ...allow, maxBytes: 100_000, timeoutMs: 300 };
    await expect(safeFetch(`${base}/silent`, short)).rejects.toMatchObject({ code: 'url_unreachable', details: { cause: 'timeout' } });
    await expect(safeFetch(`${base}/stalls-mid-body`, short)).rejects.toMatchObject({
      code: 'url_unreachable',
      details: { cause: 'timeout' },
    });
  });

  it('when a host name is used, then the socket connects to the address the guard resolved', async () => {
    const port = new URL(base).port;
    const res = await safeFetch(`http://shop.test:${port}/ok`, {
      ...limits,
      ...allow,
      resolve: fixedResolver({ 'shop.test': ['127.0.0.1'] }),
    });
    expect(Buffer.from(res.body).toString()).toBe('<h1>hello</h1>');
  });

  it('when DNS changes between the check and the connect, then the connect-time check refuses it', async () => {
    const port = new URL(base).port;
    let calls = 0;
    const rebinding: Resolver = async () => (++calls === 1 ? ['127.0.0.1'] : ['10.0.0.1']);
    expect(await codeOf(safeFetch(`http://rebind.test:${port}/ok`, { ...limits, ...allow, resolve: rebinding }))).toBe(
      'url_not_allowed',
    );
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
