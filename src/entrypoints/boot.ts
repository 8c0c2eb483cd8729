import { ConfigError, type Env, loadEnv } from '../config/env.js';
import { createLifecycle, type Lifecycle } from '../platform/lifecycle.js';
import { createLogger, type Logger } from '../platform/logger.js';

export interface Boot {
  env: Env;
  log: Logger;
  lifecycle: Lifecycle;
}

/** Reads the configuration (one clear line and exit 1 when it is invalid), makes the logger and lifecycle. */
export function boot(processName: string, overrides: Record<string, string> = {}): Boot {
  let env: Env;
  try {
    env = loadEnv({ ...process.env, ...overrides });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`subscout: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const log = createLogger({
    level: env.LOG_LEVEL,
    pretty: Boolean(process.stdout.isTTY) && env.NODE_ENV !== 'production',
    name: processName,
  });
  const lifecycle = createLifecycle(log, { timeoutMs: env.SHUTDOWN_TIMEOUT_MS });
  lifecycle.installSignalHandlers();
  return { env, log, lifecycle };
}
