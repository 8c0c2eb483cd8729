import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON logs; pretty only for a person at a terminal outside production. Secrets are redacted. */
export function createLogger(opts: { level: string; pretty: boolean; name?: string }): Logger {
  return pino({
    name: opts.name ?? 'subscout',
    level: opts.level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.apiKey',
        '*.accessToken',
        '*.refreshToken',
        '*.password',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    ...(opts.pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}
