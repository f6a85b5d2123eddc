/**
 * Fresh, migrated databases for suites: PGlite in a temporary folder, or a new database on the real PostgreSQL
 * server (dropped afterwards), so suites never see each other's rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase, type OpenDatabase } from '../../db/connect.ts';
import type { Database } from '../../db/database.ts';
import { postgresUrl, uniqueName } from './services.ts';

export type TestDatabaseKind = 'pglite' | 'postgres';

export interface TestDatabase extends OpenDatabase {
  /** DATABASE_URL of the fresh database (postgres), or DATA_DIR (pglite). */
  env: { DATABASE_URL?: string; DATA_DIR?: string };
  /** Closes and removes the database. */
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database on the test server and returns its URL. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!postgresUrl) throw new Error('DATABASE_URL is not set');
  const name = uniqueName('wijkstem_test');
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: postgresUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function createDataDir(): { dir: string; drop: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wijkstem-test-'));
  return { dir, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'postgres') {
    const created = await createPostgresDatabase();
    const opened = await openDatabase({ databaseUrl: created.url, poolSize: 4 });
    return {
      ...opened,
      env: { DATABASE_URL: created.url },
      drop: async () => {
        await opened.close();
        await created.drop();
      },
    };
  }
  const data = createDataDir();
  const opened = await openDatabase({ dataDir: data.dir });
  return {
    ...opened,
    env: { DATA_DIR: data.dir },
    drop: async () => {
      await opened.close();
      data.drop();
    },
  };
}

/** The kinds a suite should run on: PGlite always, PostgreSQL when configured (always in CI). */
export const databaseKinds: TestDatabaseKind[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A database for a `wijkstem` command run in-process (runCli): an environment to hand it, and a way to look inside
 * between runs. PGlite is one connection per folder, so each look opens and closes its own handle and never
 * overlaps a command run.
 */
export interface CliDatabase {
  env: Record<string, string>;
  inspect<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

export async function createCliDatabase(kind: TestDatabaseKind): Promise<CliDatabase> {
  const created = kind === 'postgres' ? await createPostgresDatabase() : undefined;
  const data = kind === 'pglite' ? createDataDir() : undefined;
  const options = created ? { databaseUrl: created.url } : { dataDir: data?.dir };
  return {
    env: created ? { DATABASE_URL: created.url, WIJKSTEM_PSEUDONYM_KEY: 'x'.repeat(32) } : { DATA_DIR: data?.dir ?? '' },
    inspect: async (fn) => {
      const opened = await openDatabase({ ...options, poolSize: 1 });
      try {
        return await fn(opened.db);
      } finally {
        await opened.close();
      }
    },
    drop: async () => {
      await created?.drop();
      data?.drop();
    },
  };
}
