/**
 * The composition root: opens the database, the queue and the HTTP server for the configured ROLE, loads the demo
 * on a first start, and stops it all gracefully. main.ts runs it as a process; tests can run it in-process.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import { openDatabase, type OpenDatabase } from '../db/connect.ts';
import { signalIdsWithStatus } from '../db/repositories/signals.ts';
import { listMunicipalities } from '../db/repositories/municipalities.ts';
import { reclusterPayload, retentionPayload } from '../pipeline/jobs.ts';
import { createQueue, pacedRate, QueueError, type JobQueue } from '../pipeline/queue/index.ts';
import { createJobHandlers, createOnFailed } from '../pipeline/workers/handlers.ts';
import { AnalyserCache } from '../pipeline/analysis/context.ts';
import { queueJobs, queueSend, queueSignal } from '../bot/intake.ts';
import { pendingTurnIds } from '../bot/conversation-service.ts';
import { queuedOutboundIds } from '../db/repositories/conversations.ts';
import { unfinishedFeedbackItems } from '../db/repositories/feedback.ts';
import { unfinishedPolls } from '../db/repositories/polls.ts';
import type { Config } from './config.ts';
import { loadDemoOnFirstStart } from './demo.ts';
import { createHttpApp } from './http/app.ts';
import type { Logger } from './logger.ts';

export interface RunningApp {
  url: string;
  database: OpenDatabase;
  queue: JobQueue;
  stop(): Promise<void>;
}

export async function startWijkstem(config: Config, logger: Logger, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<RunningApp> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
  };
  try {
    logger.info({ database: database.kind, role: config.role }, 'database ready, migrations applied');
    const pseudonymKey = config.pseudonymKey ?? embeddedPseudonymKey(config.dataDir);

    const queue = createQueue({
      redisUrl: config.redisUrl,
      bullmq: { prefix: config.queuePrefix },
      retry: { attempts: 5, backoffMs: 2_000 },
      sendRate: pacedRate(config.sendRatePerSecond),
      onError: (error) => logger.error({ err: error }, 'queue error'),
    });
    cleanups.push(() => queue.close());
    const queueHealth = await queue.health();
    if (!queueHealth.ok) throw new QueueError('unavailable', `cannot reach REDIS_URL: ${queueHealth.reason}`);

    if (config.role !== 'worker' && config.loadDemo) {
      const demo = await loadDemoOnFirstStart(database.db, logger);
      if (demo) {
        out(`Demo municipality ${demo.municipality} loaded. First admin (shown once, keep it):`);
        out(`  e-mail:     ${demo.email}`);
        out(`  password:   ${demo.password}`);
      }
    }

    let workersUp = config.role === 'web';
    if (config.role !== 'web') {
      // The classifier trains before the worker takes jobs (issue 4), so the first signal does not wait for it.
      const analysers = new AnalyserCache(database.db);
      await analysers.warm((await listMunicipalities(database.db)).map((m) => m.code));
      const deps = { db: database.db, logger, whatsapp: config.whatsapp, pseudonymKey, queue, publicUrl: config.publicUrl, retention: config.retention, analysers };
      await queue.startWorkers(createJobHandlers(deps), { concurrency: config.workerConcurrency, onFailed: createOnFailed(deps) });
      workersUp = true;
      const sweep = async () => {
        const ids = await signalIdsWithStatus(database.db, 'new');
        for (const id of ids) await queueSignal({ queue, logger }, id);
        if (ids.length > 0) logger.info({ count: ids.length }, 'sweep queued stored signals');
        // Replies stored but never queued for sending (the queue was down when the resident wrote).
        const unsent = await queuedOutboundIds(database.db, new Date(Date.now() - config.sweepIntervalMs));
        for (const id of unsent) await queueSend({ queue, logger }, id);
        // WhatsApp messages stored and acknowledged whose conversation turn never ran.
        const waiting = await pendingTurnIds(database.db, new Date(Date.now() - config.sweepIntervalMs));
        await queueJobs({ queue, logger }, waiting.map((messageId) => ({ name: 'conversation.turn', payload: { messageId } })));
        // Feedback fan-outs cut off by a crash (issue 6): the delivery rows make resuming them send nobody anything twice.
        const unfinished = await unfinishedFeedbackItems(database.db);
        await queueJobs({ queue, logger }, unfinished.map((agendaItemId) => ({ name: 'feedback.fanout', payload: { agendaItemId } })));
        // Flash polls likewise (poll_deliveries has the same once-only key).
        await queueJobs({ queue, logger }, (await unfinishedPolls(database.db)).map((pollId) => ({ name: 'poll.fanout', payload: { pollId } })));
        // Merging clusters that grew alike: the job id holds the hour, so this runs once an hour per municipality.
        for (const { code } of await listMunicipalities(database.db)) {
          await queue.enqueue('clusters.recluster', reclusterPayload(code)).catch((error: unknown) => logger.warn({ err: error }, 'could not queue re-clustering'));
          // Retention (issue 7): the job id holds the day, so this runs once a day per municipality.
          await queue.enqueue('privacy.retention', retentionPayload(code)).catch((error: unknown) => logger.warn({ err: error }, 'could not queue retention'));
        }
      };
      await sweep();
      // Stored signals that never reached the queue (Redis was down, a process died) are queued again here.
      const timer = setInterval(() => void sweep().catch((error: unknown) => logger.warn({ err: error }, 'sweep failed')), config.sweepIntervalMs);
      timer.unref();
      cleanups.push(() => Promise.resolve(clearInterval(timer)));
    }

    const health = async (): Promise<{ ok: true } | { ok: false; reason: string }> => {
      try {
        await sql`select 1`.execute(database.db);
      } catch {
        return { ok: false, reason: 'database unreachable' };
      }
      const q = await queue.health();
      if (!q.ok) return { ok: false, reason: `queue: ${q.reason}` };
      if (!workersUp) return { ok: false, reason: 'workers not started' };
      return { ok: true };
    };

    const app = createHttpApp({
      db: database.db,
      queue,
      logger,
      pseudonymKey,
      defaultMunicipality: config.defaultMunicipality,
      publicUrl: config.publicUrl,
      whatsapp: config.whatsapp,
      secure: config.publicUrl?.startsWith('https:') ?? false,
      serveApp: config.role !== 'worker',
      health,
      retention: config.retention,
    });
    const server = await listen(app.fetch, config.port, config.host);
    cleanups.push(() => closeServer(server));
    const port = (server.address() as AddressInfo).port;
    const url = config.publicUrl ?? `http://localhost:${port}`;
    logger.info({ port, role: config.role }, 'http server listening');
    out(config.role === 'worker' ? `Wijkstem worker is running (health on ${url}/healthz)` : `Wijkstem is ready at ${url}`);
    return { url, database, queue, stop: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server));
    server.once('error', reject);
  });
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open; end the idle ones now.
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
}

/**
 * On the embedded default there is no secret store: a random key is made on first start and kept in DATA_DIR,
 * readable by this user only. Production sets WIJKSTEM_PSEUDONYM_KEY (required with DATABASE_URL).
 */
function embeddedPseudonymKey(dataDir: string): string {
  const path = join(dataDir, 'pseudonym.key');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  writeFileSync(path, key, { mode: 0o600 });
  chmodSync(path, 0o600);
  return key;
}
