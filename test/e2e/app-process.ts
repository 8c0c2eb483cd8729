import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/** Signals the app's whole process group (npx, tsx, node); a group already gone is fine. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

export interface RunningApp {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** `subscout start` on embedded defaults in a temp data dir, on a free port; resolves with the printed URL. */
export async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'subscout-e2e-'));
  const child: ChildProcess = spawn('npx', ['tsx', 'src/entrypoints/cli.ts', 'start'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      REDIS_URL: '',
      DEMO_ITEMS_PER_MINUTE: '600',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start within 120 s:\n${out}`)), 120_000);
    const check = () => {
      const m = /Open (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`app exited (${signal ?? `code ${code}`}) before printing its URL:\n${out}`));
    });
  });
  let url: string;
  try {
    url = await ready;
  } catch (e) {
    if (child.exitCode === null && child.pid) signalGroup(child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((r) => child.once('exit', r));
        signalGroup(child.pid, 'SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
        if (child.exitCode === null) signalGroup(child.pid, 'SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
