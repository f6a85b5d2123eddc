/**
 * A fixed-window rate limiter in memory, per key (an address, an address and e-mail). Enough for one web process;
 * several web processes each keep their own count, which only makes the limit per process.
 */
export interface RateLimiter {
  /** Counts one hit for the key; false when the key is over its limit in the current window. */
  take(key: string): boolean;
}

export function createRateLimiter(options: { limit: number; windowMs: number; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = now();
  return {
    take(key) {
      const t = now();
      if (t - lastSweep > options.windowMs) {
        // Forget finished windows so the map cannot grow without bound.
        for (const [k, w] of windows) if (t - w.start >= options.windowMs) windows.delete(k);
        lastSweep = t;
      }
      const w = windows.get(key);
      if (!w || t - w.start >= options.windowMs) {
        windows.set(key, { start: t, count: 1 });
        return true;
      }
      w.count++;
      return w.count <= options.limit;
    },
  };
}
