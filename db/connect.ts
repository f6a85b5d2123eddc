/**
 * Opens the database: PostgreSQL when a DATABASE_URL is given, otherwise PGlite in DATA_DIR (the embedded default).
 * Either way the caller gets a Kysely<Database> over the same schema and the same repositories.
 */
import { accessSync, constants, mkdirSync, openSync, closeSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { PgliteDialect } from './dialects/pglite.ts';
import { migrateToLatest } from './migrations/index.ts';
import { NoNulCharacters } from './plugins/no-nul-characters.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface OpenDatabase {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

/** A problem the operator must fix (a bad URL, an unwritable folder); the message says what. */
export class DatabaseStartError extends Error {
  override readonly name = 'DatabaseStartError';
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Folder for PGlite's files; required when databaseUrl is absent. */
  dataDir?: string | undefined;
  /** Run migrations before returning (default true). */
  migrate?: boolean;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<OpenDatabase> {
  const opened = options.databaseUrl ? await openPostgres(options.databaseUrl, options.poolSize ?? 10) : await openPglite(options.dataDir);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(opened.db as unknown as Kysely<unknown>);
    } catch (error) {
      await opened.close();
      throw error;
    }
  }
  return opened;
}

/** Shows a URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    // libpq-style URLs may carry secrets as parameters too (?password=..., ?sslpassword=...).
    for (const key of [...u.searchParams.keys()]) if (/password|secret|key/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

async function openPostgres(url: string, poolSize: number): Promise<OpenDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its server emits 'error' on the pool; without a listener that would crash the process.
  pool.on('error', () => undefined);
  // A checked-out client that loses its server between two queries (inside a transaction, say) emits 'error' on the
  // client itself, where the pool has no listener: that crashed the process (test/faults-load.test.ts). The query in
  // flight or the next one fails instead, and the pool drops the dead client on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new NoNulCharacters()] });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseStartError(`cannot reach DATABASE_URL ${redactUrl(url)}: ${reason}`, { cause: error });
  }
  return { db, kind: 'postgres', close: () => db.destroy() };
}

async function openPglite(dataDir: string | undefined): Promise<OpenDatabase> {
  if (!dataDir) throw new DatabaseStartError('DATA_DIR is required for the embedded database');
  const dir = join(dataDir, 'pgdata');
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw new DatabaseStartError(`DATA_DIR ${dataDir} is not a writable folder: ${(error as Error).message}`, { cause: error });
  }
  const releaseLock = lockDataDir(dataDir);
  try {
    const pglite = new PGlite(dir);
    await pglite.waitReady;
    const db = new Kysely<Database>({ dialect: new PgliteDialect(pglite), plugins: [new NoNulCharacters()] });
    let closing: Promise<void> | undefined;
    return {
      db,
      kind: 'pglite',
      // Idempotent: a second close neither closes again nor releases a lock a later open now holds.
      close: () =>
        (closing ??= (async () => {
          try {
            await db.destroy();
          } finally {
            releaseLock();
          }
        })()),
    };
  } catch (error) {
    releaseLock();
    throw new DatabaseStartError(`cannot open the embedded database in ${dir}: ${(error as Error).message}`, { cause: error });
  }
}

/** DATA_DIRs (real paths) this process has open: the lock file holds our own pid for each, so it cannot tell them apart. */
const openDataDirs = new Set<string>();

/**
 * PGlite is one process's database: a second process on the same folder would corrupt it. A lock file with the
 * owner's pid turns that into a clear error; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, 'wijkstem.lock');
  const key = realpathSync(dataDir);
  // A second PGlite on the same folder in this process would corrupt it just as well as one in another process.
  if (openDataDirs.has(key)) {
    throw new DatabaseStartError(`the embedded database in ${dataDir} (DATA_DIR) is already open in this process; close it first`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      openDataDirs.add(key);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        openDataDirs.delete(key);
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DatabaseStartError(`cannot lock DATA_DIR ${dataDir}: ${(error as Error).message}`, { cause: error });
      }
      const owner = Number(readFileSync(lockPath, 'utf8'));
      // Our own pid without an open database here is a lock left by an earlier run (a container restarts with the same pid).
      if (owner && owner !== process.pid && processAlive(owner)) {
        throw new DatabaseStartError(
          `the embedded database in ${dataDir} (DATA_DIR) is in use by process ${owner}; stop it first, or use PostgreSQL (DATABASE_URL) to run several processes`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseStartError(`cannot lock ${lockPath}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
