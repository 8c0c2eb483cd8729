import { describe, expect, it } from 'vitest';
import { ruleErrorsOf } from './campaigns.js';
import { ApiError, buildUrl, camelize, snakeize } from './client.js';
import { leadPageSchema } from './schemas.js';

describe('API wire format', () => {
  it('when an answer is snake_case, then keys are camel-cased deeply and values are untouched', () => {
    expect(camelize({ next_cursor: 'a_b', items: [{ matched_terms: ['x_y'], item: { created_utc: 1 } }] })).toEqual({
      nextCursor: 'a_b',
      items: [{ matchedTerms: ['x_y'], item: { createdUtc: 1 } }],
    });
  });

  it('when a body is sent, then keys go out snake_case', () => {
    expect(snakeize({ productName: 'A', negativeKeywords: ['noKey'], authorDeny: [] })).toEqual({
      product_name: 'A',
      negative_keywords: ['noKey'],
      author_deny: [],
    });
  });

  it('when query values are empty, then they are left out of the URL', () => {
    expect(buildUrl('/leads', { status: 'new', q: '', min_score: undefined, limit: 30 })).toBe('/api/v1/leads?status=new&limit=30');
  });

  it('when the inbox answers, then leads parse with their item and a demo source', () => {
    const page = leadPageSchema.parse(
      camelize({
        items: [
          {
            id: 'l1',
            campaign_id: 'c1',
            status: 'new',
            scoring: 'scored',
            score: 82,
            intent: 'recommendation_request',
            matched_terms: ['crm'],
            feedback: null,
            created_at: '2026-03-10T12:00:00.000Z',
            item: {
              fullname: 't3_a',
              kind: 'post',
              subreddit: 'saas',
              author: 'x',
              title: 'Which CRM?',
              body: '',
              permalink: '/r/saas/comments/a/',
              url: null,
              score: 3,
              over_18: false,
              source: 'demo',
              created_utc: '2026-03-10T11:00:00.000Z',
            },
          },
        ],
        next_cursor: null,
      }),
    );
    expect(page.items[0]?.item.source).toBe('demo');
    expect(page.items[0]?.reasons).toEqual([]);
    expect(page.nextCursor).toBeNull();
  });

  it('when the API rejects a rule, then its field, index, position and message are read from the problem', () => {
    const e = new ApiError({
      status: 400,
      code: 'invalid_rule',
      errors: [
        { field: 'rules', index: 1, position: 5, message: 'Nothing after OR at position 5.' },
        { field: 'negative_keywords', index: 0, position: 1, message: 'Empty.' },
      ],
    });
    expect(ruleErrorsOf(e)).toEqual([
      { field: 'rules', index: 1, position: 5, message: 'Nothing after OR at position 5.' },
      { field: 'negative_keywords', index: 0, position: 1, message: 'Empty.' },
    ]);
    expect(ruleErrorsOf(new ApiError({ status: 500, code: 'internal_error' }))).toEqual([]);
  });
});
