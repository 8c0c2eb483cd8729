import type { AlertMessage } from './alert-message.js';
import { discordPayload, slackPayload } from './chat-formats.js';
import { DeliveryError, isTransientStatus } from './delivery-error.js';
import { emailContent } from './email-format.js';
import { type HttpPost, RefusedUrlError } from './http-post.js';
import type { Mailer } from './mailer.js';
import type { SecretBox } from './secret-box.js';
import { signedHeaders } from './webhook-signature.js';
import { webhookPayload } from './webhook-format.js';

export interface ChannelTarget {
  kind: 'email' | 'slack' | 'discord' | 'webhook';
  target: string;
  secretEnc: string | null;
}

export interface ChannelSenderDeps {
  post: HttpPost;
  /** Absent when SMTP_URL is not set: email channels then fail permanently. */
  mailer: Mailer | undefined;
  secretBox: Pick<SecretBox, 'open'>;
  now: () => Date;
}

/** Sends one rendered alert to one channel; every failure is a DeliveryError saying whether to retry. */
export function createChannelSender(deps: ChannelSenderDeps) {
  async function postJson(kind: string, url: string, body: string, headers: Record<string, string> = {}) {
    let res: Awaited<ReturnType<HttpPost>>;
    try {
      res = await deps.post(url, body, headers);
    } catch (err) {
      if (err instanceof RefusedUrlError) throw new DeliveryError(`${kind}: ${err.message}`, true);
      const why = err instanceof Error ? (err.name === 'TimeoutError' ? 'timed out' : err.message) : 'request failed';
      throw new DeliveryError(`${kind}: ${why}`, false);
    }
    if (res.status >= 200 && res.status < 300) return;
    // The URL itself is never part of the message: Slack and Discord URLs carry their token.
    const answer = res.body.replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new DeliveryError(`${kind} answered ${res.status}${answer ? `: ${answer}` : ''}`, !isTransientStatus(res.status));
  }

  return {
    async send(channel: ChannelTarget, msg: AlertMessage, deliveryId: string): Promise<void> {
      switch (channel.kind) {
        case 'slack':
          return postJson('slack', channel.target, JSON.stringify(slackPayload(msg)));
        case 'discord':
          return postJson('discord', channel.target, JSON.stringify(discordPayload(msg)));
        case 'webhook': {
          if (!channel.secretEnc) throw new DeliveryError('webhook: channel has no signing secret', true);
          let secret: string;
          try {
            secret = deps.secretBox.open(channel.secretEnc);
          } catch (err) {
            // A missing key may be configured later (503 case); a key that cannot open the secret will not change.
            const status = (err as { status?: number }).status;
            throw new DeliveryError(`webhook: cannot open signing secret (${(err as Error).message})`, status !== 503);
          }
          const now = deps.now();
          const body = webhookPayload(msg, { deliveryId, sentAt: now });
          return postJson('webhook', channel.target, body, signedHeaders(secret, Math.floor(now.getTime() / 1000), body));
        }
        case 'email': {
          if (!deps.mailer) throw new DeliveryError('email: SMTP_URL is not configured', true);
          return deps.mailer.send({ to: channel.target, ...emailContent(msg) });
        }
      }
    },
  };
}

export type ChannelSender = ReturnType<typeof createChannelSender>;
