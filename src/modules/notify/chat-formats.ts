import { type AlertItem, type AlertMessage, truncate } from './alert-message.js';

/**
 * Slack and Discord incoming-webhook bodies. Both services refuse oversized messages with a
 * 400, which the sender treats as permanent, so every limit below is kept by construction.
 */

// Slack: at most 50 blocks; section text at most 3,000 characters; header text at most 150.
const SLACK_MAX_LEADS = 15;

/** Slack's mrkdwn needs only &, < and > escaped. */
export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function slackLink(url: string, label: string): string {
  return `<${url}|${slackEscape(label).replaceAll('|', '¦')}>`;
}

function slackLead(item: AlertItem): unknown[] {
  const head = `*${slackLink(item.dashboardUrl, item.title)}*`;
  const meta = `r/${slackEscape(item.subreddit)} · score *${item.score}* · ${slackEscape(item.intentLabel)} · ${slackEscape(item.campaign)}`;
  const text = truncate([head, item.excerpt ? `>${slackEscape(item.excerpt)}` : '', meta].filter(Boolean).join('\n'), 3000);
  const context = [
    ...item.reasons.slice(0, 3).map((r) => `• ${slackEscape(r)}`),
    `${slackLink(item.redditUrl, 'Open on Reddit')}`,
  ].join('\n');
  return [
    { type: 'section', text: { type: 'mrkdwn', text } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(context, 3000) }] },
    { type: 'divider' },
  ];
}

export interface SlackPayload {
  text: string;
  blocks: unknown[];
}

export function slackPayload(msg: AlertMessage): SlackPayload {
  const shown = msg.leads.slice(0, SLACK_MAX_LEADS);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(msg.subject, 150), emoji: false } },
    ...shown.flatMap(slackLead),
  ];
  const rest = msg.leads.length - shown.length;
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${rest > 0 ? `${rest} more lead${rest === 1 ? '' : 's'} · ` : ''}${slackLink(msg.inboxUrl, 'Open the inbox')}`,
      },
    ],
  });
  // `text` is the notification and screen-reader fallback Slack asks for alongside blocks.
  return { text: slackEscape(msg.subject), blocks };
}

// Discord: at most 10 embeds and 6,000 characters over all of them; content at most 2,000.
const DISCORD_MAX_EMBEDS = 10;
const DISCORD_EMBED_BUDGET = 5_800;

/** Backslash-escapes Discord markdown so Reddit text renders as written. */
export function discordEscape(text: string): string {
  return text.replace(/([\\*_~`|>#[\]()-])/g, '\\$1');
}

interface DiscordEmbed {
  title: string;
  url: string;
  description: string;
  color: number;
  fields: { name: string; value: string; inline: boolean }[];
  footer: { text: string };
}

function embedSize(e: DiscordEmbed): number {
  return e.title.length + e.description.length + e.footer.text.length + e.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
}

function discordEmbed(item: AlertItem): DiscordEmbed {
  return {
    title: truncate(item.title, 256),
    url: item.dashboardUrl,
    description: truncate(
      [item.excerpt ? discordEscape(item.excerpt) : '', `[Open on Reddit](${item.redditUrl})`].filter(Boolean).join('\n\n'),
      4096,
    ),
    // Green for strong leads, amber otherwise: scannable at a glance.
    color: item.score >= 80 ? 0x2e_b6_7d : 0xf5_a6_23,
    fields: [
      { name: 'Score', value: String(item.score), inline: true },
      { name: 'Intent', value: truncate(item.intentLabel, 1024), inline: true },
      { name: 'Subreddit', value: truncate(`r/${discordEscape(item.subreddit)}`, 1024), inline: true },
      ...(item.reasons.length > 0
        ? [{ name: 'Why', value: truncate(item.reasons.slice(0, 3).map((r) => `• ${discordEscape(r)}`).join('\n'), 1024), inline: false }]
        : []),
    ],
    footer: { text: truncate(`${item.campaign} · u/${item.author}`, 2048) },
  };
}

export interface DiscordPayload {
  content: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: string[] };
}

export function discordPayload(msg: AlertMessage): DiscordPayload {
  const embeds: DiscordEmbed[] = [];
  let used = 0;
  for (const item of msg.leads) {
    const e = discordEmbed(item);
    if (embeds.length === DISCORD_MAX_EMBEDS || used + embedSize(e) > DISCORD_EMBED_BUDGET) break;
    embeds.push(e);
    used += embedSize(e);
  }
  const rest = msg.leads.length - embeds.length;
  const more = rest > 0 ? `\n${rest} more lead${rest === 1 ? '' : 's'}: ${msg.inboxUrl}` : '';
  return {
    content: truncate(`**${discordEscape(msg.subject)}**${more}`, 2000),
    embeds,
    // Reddit text may contain @everyone or role mentions; an alert must never ping anyone.
    allowed_mentions: { parse: [] },
  };
}
