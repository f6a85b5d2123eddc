/**
 * Which real services the suites can reach. Outside CI a suite whose service is not configured is skipped with a
 * visible note; in CI (CI=true) a missing service is a failure, never a silent skip (CONTRACTS.md section 1).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';

const inCI = process.env.CI === 'true' || process.env.CI === '1';

function required(name: string, value: string | undefined, hint: string): string | undefined {
  if (value !== undefined && value !== '') return value;
  if (inCI) throw new Error(`${name} is not set: CI must run every suite (${hint})`);
  console.warn(`[wijkstem tests] ${name} not set: skipping suites that need it (${hint})`);
  return undefined;
}

/** Admin URL of a real PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test. */
export const postgresUrl = required('DATABASE_URL', process.env.DATABASE_URL, 'set DATABASE_URL to a PostgreSQL server');

/** URL of a real Redis server, e.g. redis://127.0.0.1:6379. */
export const redisUrl = required('REDIS_URL', process.env.REDIS_URL, 'set REDIS_URL to a Redis server');

/** Debian's chromium for browser suites. */
export const chromiumPath = required(
  'CHROMIUM_PATH',
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  'apt-get install chromium',
);

/** A short random name for a test namespace: a database, a queue prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}
