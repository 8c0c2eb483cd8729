import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './api-harness.js';

describe('OpenAPI document and docs page', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when the document is fetched without signing in, then it is OpenAPI 3.1 covering every v1 route with its schemas', async () => {
    const res = await h.app.inject({ url: '/api/v1/openapi.json', remoteAddress: '203.0.113.1' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    expect(paths.every((p) => p.startsWith('/api/v1/'))).toBe(true);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/leads', '/api/v1/campaigns/{id}/stats', '/api/v1/api-keys/{id}']));
    const inbox = doc.paths['/api/v1/leads'].get;
    expect(inbox.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['campaign_id', 'status', 'min_score', 'intent', 'subreddit', 'kind', 'q', 'from', 'to', 'sort', 'limit', 'cursor']),
    );
    expect(inbox.responses['200'].content['application/json'].schema.properties).toHaveProperty('next_cursor');
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('when the docs page loads, then it runs under the helmet CSP: only same-origin scripts, none inline', async () => {
    const page = await h.app.inject({ url: '/api/v1/docs/' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/);
    const scripts = [...page.body.matchAll(/<script src="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const js = await h.app.inject({ url: `/api/v1/docs/${src}` });
      expect(js.statusCode, src).toBe(200);
    }
    const init = await h.app.inject({ url: '/api/v1/docs/static/swagger-initializer.js' });
    expect(init.body).toContain('/api/v1/openapi.json');
  });
});
