/**
 * The time a simulation runs on. The fake server and a poller under test share one clock so
 * a benchmark can play an hour of Reddit traffic in seconds.
 */
export interface SimClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: SimClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

export interface ManualClock extends SimClock {
  advance(ms: number): void;
  set(ms: number): void;
}

/**
 * Time moves only when told. `sleep` advances the clock itself and resolves at once, which
 * turns a single sleeping poller into a discrete-event simulation.
 */
export function createManualClock(startMs = Date.UTC(2025, 0, 1)): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    advance(ms) {
      if (ms > 0) t += ms;
    },
    set(ms) {
      if (ms > t) t = ms;
    },
    async sleep(ms) {
      if (ms > 0) t += ms;
      await Promise.resolve();
    },
  };
}

/** Real time sped up `factor` times, for several concurrent pollers against one fake. */
export function createScaledClock(factor: number, startMs = Date.now(), realNow: () => number = Date.now): SimClock {
  if (!(factor > 0)) throw new Error('clock factor must be positive');
  const realStart = realNow();
  return {
    now: () => startMs + (realNow() - realStart) * factor,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / factor))),
  };
}
