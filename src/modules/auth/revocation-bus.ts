import { z } from 'zod';
import type { Logger } from '../../platform/logger.js';
import { createRedis, type Redis } from '../../platform/redis.js';

/** What was revoked: an API key or session by id, or a session by its hash (sign-out). */
export type RevokedRef = { keyId: string } | { keyHash: string };

const message = z.union([z.object({ keyId: z.string() }), z.object({ keyHash: z.string() })]);

export interface RevocationBus {
  /** Tells every instance (this one included); a failure is logged, the cache TTL still bounds it. */
  publish(ref: RevokedRef): void;
  close(): Promise<void>;
}

/**
 * Tells every API instance that a key or session was revoked, so each drops it from its
 * auth cache at once instead of trusting it until the entry expires. Redis pub/sub on its
 * own connection (a subscribed connection can do nothing else); a message missed while an
 * instance was disconnected is still bounded by the cache's TTL.
 */
export function startRevocationBus(opts: {
  redisUrl: string;
  publisher: Redis;
  channel: string;
  log: Logger;
  onRevoked: (ref: RevokedRef) => void;
}): RevocationBus {
  const subscriber = createRedis(opts.redisUrl, 'worker');
  subscriber.on('message', (channel: string, raw: string) => {
    if (channel !== opts.channel) return;
    let parsed: z.infer<typeof message> | undefined;
    try {
      parsed = message.parse(JSON.parse(raw));
    } catch {
      opts.log.warn({ channel }, 'ignored a malformed revocation message');
      return;
    }
    opts.onRevoked(parsed);
  });
  // Waits while Redis is down (the worker connection queues the command); the API starts anyway.
  subscriber.subscribe(opts.channel).catch((err: unknown) => opts.log.warn({ err }, 'could not subscribe to key revocations'));
  return {
    publish(ref) {
      opts.publisher.publish(opts.channel, JSON.stringify(ref)).catch((err: unknown) => {
        opts.log.warn({ err }, 'could not announce a key revocation; other instances forget it when their cache expires');
      });
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
