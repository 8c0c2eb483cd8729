import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../platform/logger.js';

const WEB_CONFIG = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));
const WEB_INDEX = fileURLToPath(new URL('../../web/dist/index.html', import.meta.url));

/**
 * The quick start builds the dashboard on first run, so `npm ci && npm start` needs no
 * extra step. Images and production installs build it ahead (`npm run build:web`).
 */
export async function ensureDashboardBuilt(log: Logger): Promise<void> {
  if (existsSync(WEB_INDEX)) return;
  log.info('building the dashboard (first run only)');
  try {
    const { build } = await import('vite');
    await build({ configFile: WEB_CONFIG, logLevel: 'warn' });
  } catch (err) {
    log.warn({ err }, 'could not build the dashboard; the API still runs (try npm run build:web)');
  }
}
