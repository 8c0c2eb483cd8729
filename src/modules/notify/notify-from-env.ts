import { type Env, publicUrlOf } from '../../config/env.js';
import type { Db } from '../../platform/db/client.js';
import type { Logger } from '../../platform/logger.js';
import { createChannelSender } from './channel-sender.js';
import { createChannelService } from './channels.service.js';
import type { UrlPolicy } from '../../platform/net/ssrf-guard.js';
import { createHttpPost, createUrlCheck, type HttpPost } from './http-post.js';
import { createSmtpMailer } from './mailer.js';
import { createDigestTask, createNotifyJob } from './notify.jobs.js';
import { createNotifyService } from './notify.service.js';
import { secretBoxFromSettings } from './secret-box.js';

type NotifyEnv = Pick<
  Env,
  'PUBLIC_URL' | 'HOST' | 'PORT' | 'SMTP_URL' | 'EMAIL_FROM' | 'ENCRYPTION_KEY' | 'DATA_DIR' | 'distributed'
>;

export interface NotifyWiringOptions {
  env: NotifyEnv;
  db: Db;
  log: Logger;
  now?: () => Date;
  /** The SSRF policy for webhook URLs; only tests widen it to reach their local receivers. */
  urlPolicy?: UrlPolicy;
  /** Replaces the HTTP sender entirely. */
  post?: HttpPost;
}

/** Everything the processes need from notify, built from settings: the job, the digest task, the routes' service. */
export function createNotifyFromEnv(opts: NotifyWiringOptions) {
  const { env, db, log } = opts;
  const now = opts.now ?? (() => new Date());
  const checkUrl = createUrlCheck(opts.urlPolicy);
  const secretBox = secretBoxFromSettings({
    encryptionKey: env.ENCRYPTION_KEY,
    dataDir: env.DATA_DIR,
    distributed: env.distributed,
    log,
  });
  const sender = createChannelSender({
    post: opts.post ?? createHttpPost({ timeoutMs: 10_000, policy: opts.urlPolicy }),
    mailer: env.SMTP_URL ? createSmtpMailer({ smtpUrl: env.SMTP_URL, from: env.EMAIL_FROM }) : undefined,
    secretBox,
    now,
  });
  const publicUrl = publicUrlOf(env);
  const notify = createNotifyService({ db, sender, publicUrl, log, now });
  const channels = createChannelService({
    db,
    secretBox,
    sender,
    emailEnabled: env.SMTP_URL !== undefined,
    checkUrl,
    publicUrl,
    now,
  });
  return {
    notify,
    channels,
    secretBox,
    job: createNotifyJob({ notify }),
    sendDigests: createDigestTask({ notify, now }),
  };
}
