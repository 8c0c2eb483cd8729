import type { Logger } from './logger.js';

/** Shutdown runs stage by stage in this order, whatever order things were opened in. */
export const SHUTDOWN_STAGES = ['http', 'workers', 'clients', 'database'] as const;
export type ShutdownStage = (typeof SHUTDOWN_STAGES)[number];

interface Closer {
  stage: ShutdownStage;
  name: string;
  close(): Promise<void>;
}

export interface Lifecycle {
  /** Stops new HTTP requests first, then workers (finishing active jobs), then clients such as Redis, then the DB. */
  onShutdown(stage: ShutdownStage, name: string, close: () => Promise<void>): void;
  shutdown(reason: string, exitCode?: number): Promise<void>;
  installSignalHandlers(): void;
}

/**
 * Orderly shutdown for a process: SIGTERM/SIGINT close everything in order and exit 0;
 * an unknown error (a bug) is logged, everything is closed, and the process exits 1 so its
 * supervisor restarts it.
 */
export function createLifecycle(log: Logger, opts: { timeoutMs: number; exit?: (code: number) => void }): Lifecycle {
  const closers: Closer[] = [];
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let shuttingDown: Promise<void> | undefined;

  async function runClosers(): Promise<void> {
    const ordered = [...closers].sort((a, b) => SHUTDOWN_STAGES.indexOf(a.stage) - SHUTDOWN_STAGES.indexOf(b.stage));
    for (const c of ordered) {
      try {
        await c.close();
        log.debug({ component: c.name }, 'closed');
      } catch (err) {
        log.error({ err, component: c.name }, 'error while closing');
      }
    }
  }

  const lifecycle: Lifecycle = {
    onShutdown(stage, name, close) {
      closers.push({ stage, name, close });
    },
    shutdown(reason, exitCode = 0) {
      if (shuttingDown) return shuttingDown;
      log.info({ reason }, 'shutting down');
      const timer = setTimeout(() => {
        log.error({ timeoutMs: opts.timeoutMs }, 'shutdown timed out; exiting');
        exit(exitCode === 0 ? 1 : exitCode);
      }, opts.timeoutMs + 2_000);
      timer.unref();
      shuttingDown = runClosers().then(() => {
        clearTimeout(timer);
        log.info('stopped');
        log.flush?.();
        exit(exitCode);
      });
      return shuttingDown;
    },
    installSignalHandlers() {
      process.once('SIGTERM', () => void lifecycle.shutdown('SIGTERM'));
      process.once('SIGINT', () => void lifecycle.shutdown('SIGINT'));
      process.on('uncaughtException', (err) => {
        log.fatal({ err }, 'uncaught exception');
        void lifecycle.shutdown('uncaughtException', 1);
      });
      process.on('unhandledRejection', (err) => {
        log.fatal({ err }, 'unhandled promise rejection');
        void lifecycle.shutdown('unhandledRejection', 1);
      });
    },
  };
  return lifecycle;
}
