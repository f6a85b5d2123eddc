/** Redis housekeeping for suites and benches that give each run its own BullMQ prefix. */
import { Redis } from 'ioredis';

/** Deletes every key matching `pattern` (e.g. `${prefix}:*`), so a run leaves nothing behind in the shared Redis. */
export async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    await redis.quit();
  }
}
