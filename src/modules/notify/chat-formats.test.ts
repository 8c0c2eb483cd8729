import { describe, expect, it } from 'vitest';
import { type AlertLead, buildAlert } from './alert-message.js';
import { discordEscape, discordPayload, slackEscape, slackPayload } from './chat-formats.js';
import { emailContent } from './email-format.js';

function lead(i: number, over: Partial<AlertLead> = {}): AlertLead {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    campaignName: 'CRM hunt',
    score: 60 + (i % 40),
    intent: 'alternative_search',
    reasons: ['Looking for an alternative', 'Mentions budget'.repeat(20)],
    kind: 'post',
    subreddit: 'sales',
    author: 'someone',
    title: `Looking for a HubSpot alternative ${i} ${'x'.repeat(300)}`,
    body: 'We pay too much. '.repeat(200),
    permalink: `/r/sales/comments/${i}/x/`,
    ...over,
  };
}

const many = Array.from({ length: 120 }, (_, i) => lead(i));
const opts = { publicUrl: 'https://subscout.example/' };

describe('chat formats', () => {
  it('when a digest holds 120 long leads, then the Slack message stays within 50 blocks and 3,000 characters per section', () => {
    const p = slackPayload(buildAlert('digest', many, opts));
    expect(p.blocks.length).toBeLessThanOrEqual(50);
    for (const b of p.blocks as { type: string; text?: { text: string } }[]) {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(b.type === 'header' ? 150 : 3000);
    }
    expect(JSON.stringify(p)).toContain('105 more leads');
  });

  it('when a digest holds 120 long leads, then the Discord message keeps 10 embeds, 6,000 characters and 2,000 of content', () => {
    const p = discordPayload(buildAlert('digest', many, opts));
    expect(p.embeds.length).toBeGreaterThan(0);
    expect(p.embeds.length).toBeLessThanOrEqual(10);
    const total = p.embeds.reduce(
      (n, e) => n + e.title.length + e.description.length + e.footer.text.length + e.fields.reduce((m, f) => m + f.name.length + f.value.length, 0),
      0,
    );
    expect(total).toBeLessThanOrEqual(6000);
    expect(p.content.length).toBeLessThanOrEqual(2000);
    expect(p.content).toContain('https://subscout.example/leads');
  });

  it('when Reddit text carries markup or mentions, then Slack, Discord and HTML show it literally and ping no one', () => {
    const hostile = lead(1, { title: '<!channel> @everyone *bold* <script>', body: '<@123> & <a href=x>' });
    const msg = buildAlert('instant', [hostile], opts);
    const slack = slackPayload(msg);
    // Only mrkdwn text (and the `text` fallback) is parsed for mentions; plain_text headers show it as written.
    const mrkdwn = JSON.stringify(slack.blocks.filter((b) => (b as { type: string }).type !== 'header'));
    expect(mrkdwn).not.toContain('<!channel>');
    expect(slack.text).not.toContain('<!channel>');
    expect(slackEscape('<!channel> & >')).toBe('&lt;!channel&gt; &amp; &gt;');
    const discord = discordPayload(msg);
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(discordEscape('*bold*')).toBe('\\*bold\\*');
    const mail = emailContent(msg);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain('<script>');
  });

  it('when one lead is alerted, then the links go to the dashboard lead and to Reddit', () => {
    const msg = buildAlert('instant', [lead(7)], opts);
    expect(msg.leads[0]!.dashboardUrl).toBe('https://subscout.example/leads/00000000-0000-4000-8000-000000000007');
    expect(msg.leads[0]!.redditUrl).toBe('https://www.reddit.com/r/sales/comments/7/x/');
    expect(msg.subject.startsWith('New lead (67) in r/sales')).toBe(true);
    expect(msg.leads[0]!.excerpt.length).toBeLessThanOrEqual(280);
  });
});
