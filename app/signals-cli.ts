/**
 * `wijkstem signals import` and `wijkstem signals export` (CONTRACTS.md section 1), kept apart from app/cli.ts so
 * the command table there stays small. Both return the exit code: 0 success, 1 failure, 2 usage error.
 *
 * Import stores the file's signals exactly as a channel would (status `new`, one transaction, idempotent on `id`
 * per municipality) and queues them. With REDIS_URL the jobs go to BullMQ at once and the running workers take
 * them; on the embedded default this process has no workers, so the signals wait as `new` until Wijkstem runs: its
 * start-up sweep (and the one every 30 seconds) queues them.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { listMunicipalities } from '../db/repositories/municipalities.ts';
import { exportSignalsPage, type ExportedSignalRow } from '../db/repositories/signals.ts';
import { queueStored, storeImport } from '../pipeline/intake/import-signals.ts';
import { assignMunicipalities, detectFormat, parseSignalImport, type ImportError } from '../pipeline/intake/signal-import.ts';
import { createQueue } from '../pipeline/queue/index.ts';
import { loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';

export interface SignalsCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

const GEMEENTE_CODE = /^GM\d{4}$/;

async function withDatabase<T>(config: Config, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const opened = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    return await fn(opened.db);
  } finally {
    await opened.close();
  }
}

function usage(io: SignalsCliIo, command: string, problem: string, args: string): number {
  io.stderr.write(`wijkstem signals ${command}: ${problem}\nusage: wijkstem signals ${command} ${args}\n`);
  return 2;
}

export const importArgs = 'FILE.jsonl|FILE.csv [--municipality GM0453]';
export const exportArgs = '[--municipality GM0453] [--since 2026-01-01]';

export async function signalsImport(io: SignalsCliIo, positionals: string[], options: { municipality?: string | undefined }): Promise<number> {
  const [file, ...extra] = positionals;
  if (file === undefined) return usage(io, 'import', 'missing FILE', importArgs);
  if (extra.length > 0) return usage(io, 'import', `one file at a time; unexpected ${extra.join(' ')}`, importArgs);
  const fallback = options.municipality?.trim().toUpperCase();
  if (fallback !== undefined && !GEMEENTE_CODE.test(fallback)) return usage(io, 'import', `--municipality "${fallback}" is not a CBS code like GM0453`, importArgs);

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.stderr.write(`wijkstem signals import: cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  // Checked before the database is opened: a bad file never touches it.
  const parsed = parseSignalImport(text, detectFormat(file, text));
  if (parsed.errors.length > 0) return refuse(io, file, parsed.errors);

  const config = loadConfig(io.env);
  const outcome = await withDatabase(config, async (db) => {
    const known = new Set((await listMunicipalities(db)).map((m) => m.code));
    const checked = assignMunicipalities(parsed, {
      fallback,
      allowed: (code) => known.has(code),
      refusal: (code) => ({ kind: 'municipality_unknown', code }),
    });
    if (checked.errors.length > 0) return { ok: false as const, errors: checked.errors };
    return { ok: true as const, result: await storeImport(db, checked.rows, { kind: 'system', id: 'cli', fileName: basename(file) }) };
  });
  if (!outcome.ok) return refuse(io, file, outcome.errors);
  const { stored, skipped } = outcome.result;

  let queued = 'on the embedded default they wait as new until Wijkstem runs: its sweep queues them';
  if (stored.length > 0 && config.redisUrl) {
    const logger = createLogger(config.logLevel);
    const queue = createQueue({
      redisUrl: config.redisUrl,
      bullmq: { prefix: config.queuePrefix },
      // The same policy as the server's (app/start.ts), which is what the workers apply to these jobs.
      retry: { attempts: 5, backoffMs: 2_000 },
      onError: (error) => logger.warn({ err: error }, 'queue error') });
    try {
      const health = await queue.health();
      if (health.ok) {
        await queueStored({ queue, logger }, stored);
        queued = 'queued for the pipeline';
      } else {
        queued = `not queued (${health.reason}); the workers' sweep will queue them`;
      }
    } finally {
      await queue.close();
    }
  }
  io.stdout.write(
    `stored ${stored.length} ${stored.length === 1 ? 'signal' : 'signals'}${skipped.length > 0 ? `, skipped ${skipped.length} imported before` : ''}` +
      `${stored.length > 0 ? `; ${queued}` : ''}\n`,
  );
  return 0;
}

function refuse(io: SignalsCliIo, file: string, errors: ImportError[]): number {
  for (const e of errors) io.stderr.write(`line ${e.line}: ${e.message}\n`);
  const lines = new Set(errors.map((e) => e.line)).size;
  io.stderr.write(`wijkstem signals import: ${file}: ${lines} bad ${lines === 1 ? 'line' : 'lines'}, nothing stored\n`);
  return 1;
}

export async function signalsExport(io: SignalsCliIo, positionals: string[], options: { municipality?: string | undefined; since?: string | undefined }): Promise<number> {
  if (positionals.length > 0) return usage(io, 'export', `unexpected ${positionals.join(' ')}`, exportArgs);
  const municipality = options.municipality?.trim().toUpperCase();
  if (municipality !== undefined && !GEMEENTE_CODE.test(municipality)) return usage(io, 'export', `--municipality "${municipality}" is not a CBS code like GM0453`, exportArgs);
  let since: Date | undefined;
  if (options.since !== undefined) {
    since = parseSince(options.since);
    if (!since) return usage(io, 'export', `--since "${options.since}" is not a date like 2026-01-01 (or an ISO timestamp)`, exportArgs);
  }
  const config = loadConfig(io.env);
  return withDatabase(config, async (db) => {
    if (municipality !== undefined && !(await listMunicipalities(db)).some((m) => m.code === municipality)) {
      io.stderr.write(`wijkstem signals export: unknown municipality ${municipality}\n`);
      return 1;
    }
    let after: { receivedAt: Date; id: string } | undefined;
    for (;;) {
      const page = await exportSignalsPage(db, { municipalityCode: municipality, since, after, limit: 1000 });
      if (page.length === 0) break;
      io.stdout.write(page.map((row) => JSON.stringify(exportLine(row))).join('\n') + '\n');
      const last = page.at(-1);
      if (!last || page.length < 1000) break;
      after = { receivedAt: last.received_at, id: last.id };
    }
    return 0;
  });
}

/** A date (00:00 UTC that day) or a full ISO 8601 timestamp. */
export function parseSince(value: string): Date | undefined {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && date.toISOString().slice(0, 10) !== value) return undefined; // 2026-02-31
  return date;
}

/**
 * One export line: CONTRACTS.md section 5 fields plus source, received_at, status (and municipality). `id` is the
 * importer's id for an imported signal, else the signal's own id. Redacted text only; never raw text or contact
 * data. What the pipeline has not produced yet comes out null, [] or false.
 */
export function exportLine(row: ExportedSignalRow): Record<string, unknown> {
  const placed = row.wijk_code !== null || row.buurt_code !== null;
  return {
    id: row.external_id ?? row.id,
    municipality: row.municipality_code,
    language: row.language,
    text_redacted: row.text_redacted,
    domains: [...row.domains].sort((a, b) => b.confidence - a.confidence),
    review: row.review,
    neighborhood: placed
      ? { gemeente_code: row.municipality_code, wijk_code: row.wijk_code, buurt_code: row.buurt_code, name: row.buurt_name ?? row.wijk_name }
      : null,
    sentiment: row.sentiment,
    urgent: row.urgent,
    cluster: row.cluster_id,
    source: row.source,
    received_at: row.received_at.toISOString(),
    status: row.status,
  };
}
