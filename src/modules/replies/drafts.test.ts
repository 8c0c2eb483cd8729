import { describe, expect, it } from 'vitest';
import { createDraftWriter, draftLocally } from './drafts.js';

const campaign = {
  id: 'c1',
  productName: 'Postwise',
  productDescription: 'Schedules and analyses social media posts for small agencies. Works with Twitter and Facebook.',
};
const disclosure = '(Disclosure: I work on {product}.)';

describe('local reply drafts', () => {
  it('when a thread asks for an alternative the product answers, then the draft names it once and ends with the disclosure', async () => {
    const writer = createDraftWriter({ provider: 'local' });
    const d = await writer.draft({
      item: { kind: 'post', subreddit: 'socialmedia', title: 'Alternatives to Hootsuite?', body: 'Our agency schedules social media posts for 12 clients and Hootsuite got too expensive.' },
      campaign,
      disclosure,
    });
    expect(d.mentionsProduct).toBe(true);
    expect(d.text.match(/Postwise/g)).toHaveLength(2);
    expect(d.text).toContain('schedules and analyses social media posts for small agencies');
    expect(d.text.endsWith('(Disclosure: I work on Postwise.)')).toBe(true);
    expect(d.draftedBy).toBe('local');
    expect(d.language).toBe('eng');
  });

  it('when a thread asks for nothing, then the draft does not mention the product nor carry a disclosure', () => {
    const d = draftLocally({
      item: { kind: 'post', subreddit: 'socialmedia', title: 'Facebook changed its logo today', body: 'The new one is a bit bluer than before, which is nice.' },
      campaign,
      disclosure,
    });
    expect(d.mentionsProduct).toBe(false);
    expect(d.text).not.toContain('Postwise');
    expect(d.text).not.toContain('Disclosure');
  });

  it('when the thread is not in English, then the draft says it answers in English', () => {
    const d = draftLocally({
      item: {
        kind: 'post',
        subreddit: 'de',
        title: 'Gibt es eine Alternative zu Hootsuite für unsere Agentur?',
        body: 'Wir planen jeden Tag Beiträge für soziale Medien und suchen ein günstigeres Werkzeug.',
      },
      campaign,
      disclosure,
    });
    expect(d.language).toBe('deu');
    expect(d.text.startsWith('(Sorry for answering in English.)')).toBe(true);
  });
});
