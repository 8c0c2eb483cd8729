import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../platform/errors.js';
import { buildAlert, sampleLead } from './alert-message.js';
import type { ChannelSender } from './channel-sender.js';
import {
  type ChannelPatch,
  type ChannelRow,
  countChannels,
  deleteChannel,
  findChannel,
  insertChannel,
  listChannels,
  updateChannel,
} from './channels.repo.js';
import { DeliveryError } from './delivery-error.js';
import type { ChannelView, ChannelWithSecret, CreateChannelBody, TestResult, UpdateChannelBody } from './notify.schemas.js';
import type { SecretBox } from './secret-box.js';
import { newWebhookSecret } from './webhook-signature.js';

export interface ChannelServiceDeps {
  db: Db;
  secretBox: Pick<SecretBox, 'seal'>;
  sender: Pick<ChannelSender, 'send'>;
  /** SMTP_URL is set. */
  emailEnabled: boolean;
  /** Refuses URLs the server must not call (the SSRF guard, see createUrlCheck). */
  checkUrl: (url: URL) => Promise<void>;
  publicUrl: string;
  now: () => Date;
  random?: (n: number) => Buffer;
  maxChannelsPerUser?: number;
}

const email = z.email();

/** Shows where a URL points without the path, which for Slack and Discord is the credential. */
export function maskTarget(kind: ChannelRow['kind'], target: string): string {
  if (kind === 'email') return target;
  try {
    const u = new URL(target);
    const tail = u.pathname.length > 8 ? u.pathname.slice(-4) : '';
    return `${u.origin}/…${tail}`;
  } catch {
    return '…';
  }
}

function view(row: ChannelRow): ChannelView {
  return {
    id: row.id,
    kind: row.kind,
    target: maskTarget(row.kind, row.target),
    mode: row.mode,
    min_score: row.minScore,
    enabled: row.enabled,
    has_secret: row.secretEnc !== null,
    last_error: row.lastError,
    failing_since: row.failingSince?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

export function createChannelService(deps: ChannelServiceDeps) {
  const { db } = deps;
  const maxChannels = deps.maxChannelsPerUser ?? 20;

  async function validTarget(kind: ChannelRow['kind'], target: string): Promise<string> {
    if (kind === 'email') {
      if (!deps.emailEnabled) {
        throw new ServiceUnavailableError('email_not_configured', 'Email alerts need SMTP_URL set on the server.');
      }
      if (!email.safeParse(target).success) throw new ValidationError('target must be an email address.', undefined, 'invalid_target');
      return target;
    }
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new ValidationError('target must be an http(s) URL.', undefined, 'invalid_target');
    }
    try {
      await deps.checkUrl(url);
    } catch (err) {
      throw new ValidationError(err instanceof Error ? err.message : 'This URL cannot be used.', undefined, 'invalid_target');
    }
    return url.toString();
  }

  function sealNewSecret(): { secret: string; secretEnc: string } {
    const secret = newWebhookSecret(deps.random);
    return { secret, secretEnc: deps.secretBox.seal(secret) };
  }

  async function owned(userId: string, id: string): Promise<ChannelRow> {
    const row = await findChannel(db, userId, id);
    if (!row) throw new NotFoundError('notification_channel');
    return row;
  }

  return {
    async list(userId: string): Promise<ChannelView[]> {
      return (await listChannels(db, userId)).map(view);
    },

    /** A webhook channel's signing secret is in this answer only; it is stored encrypted. */
    async create(userId: string, body: CreateChannelBody): Promise<ChannelWithSecret> {
      const target = await validTarget(body.kind, body.target);
      if ((await countChannels(db, userId)) >= maxChannels) {
        throw new ConflictError('channel_limit', `At most ${maxChannels} notification channels per user.`);
      }
      const sealed = body.kind === 'webhook' ? sealNewSecret() : undefined;
      const row = await insertChannel(
        db,
        userId,
        {
          kind: body.kind,
          target,
          secretEnc: sealed?.secretEnc ?? null,
          mode: body.mode,
          minScore: body.min_score,
          enabled: body.enabled,
        },
        deps.now(),
      );
      return sealed ? { ...view(row), secret: sealed.secret } : view(row);
    },

    async update(userId: string, id: string, body: UpdateChannelBody): Promise<ChannelWithSecret> {
      const current = await owned(userId, id);
      const patch: ChannelPatch = {};
      if (body.target !== undefined) patch.target = await validTarget(current.kind, body.target);
      if (body.mode !== undefined) patch.mode = body.mode;
      if (body.min_score !== undefined) patch.minScore = body.min_score;
      if (body.enabled !== undefined) patch.enabled = body.enabled;
      let secret: string | undefined;
      if (body.rotate_secret) {
        if (current.kind !== 'webhook') {
          throw new ValidationError('Only webhook channels have a signing secret.', undefined, 'no_secret');
        }
        const sealed = sealNewSecret();
        patch.secretEnc = sealed.secretEnc;
        secret = sealed.secret;
      }
      const row = await updateChannel(db, userId, id, patch);
      if (!row) throw new NotFoundError('notification_channel');
      return secret ? { ...view(row), secret } : view(row);
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await deleteChannel(db, userId, id))) throw new NotFoundError('notification_channel');
    },

    /** Sends a sample alert now, whatever the channel's mode or enabled flag; nothing is recorded. */
    async test(userId: string, id: string): Promise<TestResult> {
      const row = await owned(userId, id);
      const msg = buildAlert('test', [sampleLead()], { publicUrl: deps.publicUrl });
      try {
        await deps.sender.send(row, msg, `test-${randomUUID()}`);
        return { delivered: true, error: null, permanent: false };
      } catch (err) {
        if (err instanceof DeliveryError) return { delivered: false, error: err.message, permanent: err.permanent };
        throw err;
      }
    },
  };
}

export type ChannelService = ReturnType<typeof createChannelService>;
