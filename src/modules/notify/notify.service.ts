import { createHash } from 'node:crypto';
import type { Db } from '../../platform/db/client.js';
import type { Logger } from '../../platform/logger.js';
import { type AlertMessage, buildAlert } from './alert-message.js';
import type { ChannelSender } from './channel-sender.js';
import { DeliveryError } from './delivery-error.js';
import {
  type AlertChannel,
  DIGEST_PREFIX,
  type DeliveryOutcome,
  ensureDelivery,
  findDigestLeads,
  findEnabledChannels,
  findLeadsByIds,
  findLeadsToAlert,
  type LeadForAlert,
  lastDigestWindowEnd,
  markLeadsNotified,
  pendingDigestKeys,
  recordChannelOutcome,
  withClaimedDelivery,
} from './notify.repo.js';

export interface NotifyServiceDeps {
  db: Db;
  sender: Pick<ChannelSender, 'send'>;
  /** Base of dashboard links in alerts (PUBLIC_URL). */
  publicUrl: string;
  log: Logger;
  now: () => Date;
  /** Digest windows are aligned to this length (one message per hour by default). */
  digestWindowMs?: number;
  /** Most leads one digest carries; formatters show the best and count the rest. */
  digestMaxLeads?: number;
}

export interface NotifySummary {
  leads: number;
  sent: number;
  /** Deliveries that will be retried (the job throws so the queue retries it). */
  retrying: number;
  /** Deliveries that failed for good (4xx, refused URL). */
  failed: number;
  notified: number;
}

export interface DigestSummary {
  channels: number;
  sent: number;
  retrying: number;
  failed: number;
}

export function instantDedupKey(channelId: string, leadIds: readonly string[]): string {
  const digest = createHash('sha256').update([...leadIds].sort().join(',')).digest('hex').slice(0, 32);
  return `instant:${channelId}:${digest}`;
}

export function digestDedupKey(channelId: string, windowEnd: Date): string {
  return `${DIGEST_PREFIX}${channelId}:${windowEnd.toISOString()}`;
}

function windowLabel(from: Date, to: Date): string {
  const fmt = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
  return `${fmt(from)} to ${fmt(to).slice(from.toISOString().slice(0, 10) === to.toISOString().slice(0, 10) ? 11 : 0)} UTC`;
}

export function createNotifyService(deps: NotifyServiceDeps) {
  const { db, log, now } = deps;
  const windowMs = deps.digestWindowMs ?? 3_600_000;
  const digestMax = deps.digestMaxLeads ?? 200;

  /** Creates the delivery if new, then sends it unless it is already sent, failed for good, or in flight. */
  async function deliver(
    channel: AlertChannel,
    dedupKey: string,
    leadIds: string[] | undefined,
    render: (leads: LeadForAlert[]) => AlertMessage,
  ): Promise<DeliveryOutcome | undefined> {
    if (leadIds) await ensureDelivery(db, { channelId: channel.id, dedupKey, leadIds, createdAt: now() });
    const outcome = await withClaimedDelivery(db, dedupKey, now, async (d) => {
      // The stored lead ids are what this delivery promised, whoever created it.
      const leads = await findLeadsByIds(db, d.leadIds);
      try {
        await deps.sender.send(channel, render(leads), d.id);
        return { ok: true };
      } catch (err) {
        if (err instanceof DeliveryError) return { ok: false, error: err.message, permanent: err.permanent };
        return { ok: false, error: err instanceof Error ? err.message : 'send failed', permanent: false };
      }
    });
    if (outcome) await recordChannelOutcome(db, channel.id, outcome, now());
    const where = { channelId: channel.id, kind: channel.kind, dedupKey };
    if (outcome?.ok) log.info(where, 'alert delivered');
    else if (outcome) log.warn({ ...where, error: outcome.error, permanent: outcome.permanent }, 'alert delivery failed');
    return outcome;
  }

  /** Instant alerts for freshly scored leads: one delivery per (channel, lead set). */
  async function notifyLeads(leadIds: readonly string[]): Promise<NotifySummary> {
    const summary: NotifySummary = { leads: 0, sent: 0, retrying: 0, failed: 0, notified: 0 };
    const leads = await findLeadsToAlert(db, [...new Set(leadIds)]);
    summary.leads = leads.length;
    if (leads.length === 0) return summary;
    const channels = await findEnabledChannels(db, { userIds: [...new Set(leads.map((l) => l.userId))], mode: 'instant' });

    const handled = new Set<string>();
    const retrying = new Set<string>();
    for (const channel of channels) {
      const eligible = leads.filter((l) => l.userId === channel.userId && l.score >= (channel.minScore ?? 0));
      if (eligible.length === 0) continue;
      const ids = eligible.map((l) => l.id).sort();
      const outcome = await deliver(channel, instantDedupKey(channel.id, ids), ids, (ls) =>
        buildAlert('instant', ls, { publicUrl: deps.publicUrl }),
      );
      for (const id of ids) handled.add(id);
      if (outcome?.ok) summary.sent++;
      else if (outcome?.permanent) summary.failed++;
      else if (outcome) {
        summary.retrying++;
        for (const id of ids) retrying.add(id);
      }
    }
    // A lead is done once no channel still owes it a retry; done leads are never alerted again.
    const done = [...handled].filter((id) => !retrying.has(id));
    summary.notified = await markLeadsNotified(db, done, now());
    return summary;
  }

  async function digestChannel(channel: AlertChannel, windowEnd: Date, summary: DigestSummary): Promise<void> {
    const count = (o: DeliveryOutcome | undefined) => {
      if (o?.ok) summary.sent++;
      else if (o?.permanent) summary.failed++;
      else if (o) summary.retrying++;
    };
    const render = (label: string) => (ls: LeadForAlert[]) =>
      buildAlert('digest', ls, { publicUrl: deps.publicUrl, windowLabel: label });

    for (const key of await pendingDigestKeys(db, channel.id)) {
      const outcome = await deliver(channel, key, undefined, render('earlier leads'));
      count(outcome);
    }
    const from = (await lastDigestWindowEnd(db, channel.id)) ?? channel.createdAt;
    if (from.getTime() >= windowEnd.getTime()) return;
    const leads = await findDigestLeads(db, channel, from, windowEnd, digestMax);
    // No leads, no row: the next run covers this span again from the same start.
    if (leads.length === 0) return;
    const ids = leads.map((l) => l.id);
    const outcome = await deliver(channel, digestDedupKey(channel.id, windowEnd), ids, render(windowLabel(from, windowEnd)));
    count(outcome);
    if (outcome?.ok) await markLeadsNotified(db, ids, now());
  }

  /**
   * For the maintenance schedule: every enabled digest channel gets one message for the
   * leads scored since its last digest, up to the start of the current window. Run it as
   * often as you like; each window is sent once, failed tries are retried by the next run.
   */
  async function sendDigests(at: Date = now()): Promise<DigestSummary> {
    const windowEnd = new Date(Math.floor(at.getTime() / windowMs) * windowMs);
    const channels = await findEnabledChannels(db, { mode: 'digest' });
    const summary: DigestSummary = { channels: channels.length, sent: 0, retrying: 0, failed: 0 };
    for (const channel of channels) {
      try {
        await digestChannel(channel, windowEnd, summary);
      } catch (err) {
        // One channel's database trouble must not starve the others.
        summary.retrying++;
        log.error({ err, channelId: channel.id }, 'digest failed');
      }
    }
    return summary;
  }

  return { notifyLeads, sendDigests };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
