import { z } from 'zod';

export const CHANNEL_KINDS = ['email', 'slack', 'discord', 'webhook'] as const;
export const CHANNEL_MODES = ['instant', 'digest'] as const;

export const channelIdParams = z.object({ id: z.uuid() });

const minScore = z.number().int().min(0).max(100).nullable();

export const createChannelBody = z.object({
  kind: z.enum(CHANNEL_KINDS),
  /** Email address for `email`, incoming-webhook URL for the others. */
  target: z.string().trim().min(3).max(2000),
  /** `instant`: one message per scored batch; `digest`: one message per hour. */
  mode: z.enum(CHANNEL_MODES).default('instant'),
  /** Only leads scoring at least this; null uses each campaign's threshold. */
  min_score: minScore.default(null),
  enabled: z.boolean().default(true),
});
export type CreateChannelBody = z.infer<typeof createChannelBody>;

export const updateChannelBody = z
  .object({
    target: z.string().trim().min(3).max(2000).optional(),
    mode: z.enum(CHANNEL_MODES).optional(),
    min_score: minScore.optional(),
    enabled: z.boolean().optional(),
    /** Webhook channels: replace the signing secret; the new one is in this answer only. */
    rotate_secret: z.literal(true).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Send at least one field to change.' });
export type UpdateChannelBody = z.infer<typeof updateChannelBody>;

export const channel = z.object({
  id: z.uuid(),
  kind: z.enum(CHANNEL_KINDS),
  /** The email address, or the URL with its path masked (webhook URLs carry tokens). */
  target: z.string(),
  mode: z.enum(CHANNEL_MODES),
  min_score: z.number().int().nullable(),
  enabled: z.boolean(),
  /** Webhook channels sign every request with a secret. */
  has_secret: z.boolean(),
  /** The last delivery's error while alerts to this channel keep failing, else null. */
  last_error: z.string().nullable(),
  /** Since when deliveries to this channel have been failing, else null. */
  failing_since: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});
export type ChannelView = z.infer<typeof channel>;

/** The only answers that carry a webhook signing secret: creation and rotation. */
export const channelWithSecret = channel.extend({ secret: z.string().optional() });
export type ChannelWithSecret = z.infer<typeof channelWithSecret>;

export const channelList = z.object({ items: z.array(channel) });

export const testResult = z.object({
  delivered: z.boolean(),
  /** The channel's answer when it did not take the message. */
  error: z.string().nullable(),
  /** True when retrying will not help (fix the URL or address). */
  permanent: z.boolean(),
});
export type TestResult = z.infer<typeof testResult>;
