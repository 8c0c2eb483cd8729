import type { AlertMessage } from './alert-message.js';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Plain text and HTML parts of the same alert; every Reddit-supplied string is escaped in HTML. */
export function emailContent(msg: AlertMessage): EmailContent {
  const textParts = msg.leads.map((l) =>
    [
      `${l.title}`,
      `r/${l.subreddit} · score ${l.score} · ${l.intentLabel} · ${l.campaign}`,
      l.excerpt ? `"${l.excerpt}"` : '',
      ...l.reasons.map((r) => `- ${r}`),
      `Open in Subscout: ${l.dashboardUrl}`,
      `Open on Reddit: ${l.redditUrl}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  const text = [msg.subject, '', textParts.join('\n\n---\n\n'), '', `Inbox: ${msg.inboxUrl}`].join('\n');

  const htmlParts = msg.leads.map(
    (l) => `<div style="margin:0 0 20px;padding:12px;border:1px solid #e5e7eb;border-radius:6px">
<div style="font-size:16px;font-weight:600"><a href="${escapeHtml(l.dashboardUrl)}">${escapeHtml(l.title)}</a></div>
<div style="color:#6b7280;font-size:13px;margin:4px 0">r/${escapeHtml(l.subreddit)} · score <b>${l.score}</b> · ${escapeHtml(l.intentLabel)} · ${escapeHtml(l.campaign)}</div>
${l.excerpt ? `<blockquote style="margin:8px 0;color:#374151">${escapeHtml(l.excerpt)}</blockquote>` : ''}
${l.reasons.length > 0 ? `<ul style="margin:4px 0;padding-left:18px">${l.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : ''}
<div style="font-size:13px"><a href="${escapeHtml(l.dashboardUrl)}">Open in Subscout</a> · <a href="${escapeHtml(l.redditUrl)}">Open on Reddit</a></div>
</div>`,
  );
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:640px">
<h2 style="font-size:18px">${escapeHtml(msg.subject)}</h2>
${htmlParts.join('\n')}
<p><a href="${escapeHtml(msg.inboxUrl)}">Open the inbox</a></p>
</body></html>`;
  return { subject: msg.subject, text, html };
}
