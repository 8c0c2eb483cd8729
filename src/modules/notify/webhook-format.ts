import type { AlertMessage } from './alert-message.js';

/** The JSON a generic webhook receives; `delivery_id` is stable across retries, for receivers to dedupe. */
export function webhookPayload(msg: AlertMessage, meta: { deliveryId: string; sentAt: Date }): string {
  return JSON.stringify({
    type: msg.mode === 'test' ? 'test' : 'leads.alert',
    delivery_id: meta.deliveryId,
    mode: msg.mode,
    sent_at: meta.sentAt.toISOString(),
    subject: msg.subject,
    inbox_url: msg.inboxUrl,
    leads: msg.leads.map((l) => ({
      id: l.id,
      campaign: l.campaign,
      kind: l.kind,
      title: l.title,
      excerpt: l.excerpt,
      subreddit: l.subreddit,
      author: l.author,
      score: l.score,
      intent: l.intent,
      reasons: l.reasons,
      dashboard_url: l.dashboardUrl,
      reddit_url: l.redditUrl,
    })),
  });
}
