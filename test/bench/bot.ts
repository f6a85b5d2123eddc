/**
 * Bot figures for `npm run bench` (CONTRACTS.md section 7): signed WhatsApp deliveries to POST /webhooks/whatsapp on
 * an in-process app served on 127.0.0.1, sent open-loop at a fixed rate for a bounded time, on PGlite with the
 * in-process queue and, when DATABASE_URL and REDIS_URL are set, on PostgreSQL with BullMQ. Each delivery is a new
 * resident's first message (resident, conversation, message and reply written; the heaviest ordinary case).
 *   webhook.latency.p99: request sent → 200 received (the message is stored before the 200).
 *   bot.reply.p99: 200 received (message stored) → the reply handed to the (local, fake) Graph API by the send job.
 *   web.rss: resident set size of this one process (web, workers and PGlite together) after the runs.
 * BENCH_WEBHOOK_RATE (PostgreSQL, deliveries/s, default 200), BENCH_PGLITE_RATE (default 20) and
 * BENCH_WEBHOOK_SECONDS (default 10) change the load.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createHttpApp } from '../../app/http/app.ts';
import { createLogger } from '../../app/logger.ts';
import { signBody } from '../../bot/channels/whatsapp/signature.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { createBullMqQueue, createInProcessQueue, type JobQueue } from '../../pipeline/queue/index.ts';
import { createJobHandlers, createOnFailed } from '../../pipeline/workers/handlers.ts';
import { openTestDatabase, type TestDatabaseKind } from '../support/databases.ts';
import { startFakeGraphApi } from '../support/fake-graph-api.ts';
import { textDelivery } from '../support/whatsapp-delivery.ts';

const appSecret = 'bench-app-secret';
const pseudonymKey = 'b'.repeat(32);
const phoneNumberId = '1122334455667';

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const r1 = (x: number) => Math.round(x * 10) / 10;

interface Run {
  setup: string;
  rate: number;
  seconds: number;
  sent: number;
  ok: number;
  webhook: number[];
  reply: number[];
  sequential: number;
  failures: Record<string, number>;
}

async function runSetup(setup: string, kind: TestDatabaseKind, queueKind: 'in-process' | 'bullmq', rate: number, seconds: number, log: (m: string) => void): Promise<Run> {
  const logger = createLogger('silent');
  const database = await openTestDatabase(kind);
  await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
  const graph = await startFakeGraphApi();
  const prefix = `wijkstem_bench_${process.pid}`;
  const redisUrl = process.env.REDIS_URL;
  const retry = { attempts: 3, backoffMs: 50 };
  const queue: JobQueue = queueKind === 'bullmq' && redisUrl ? createBullMqQueue({ redisUrl, prefix, retry }) : createInProcessQueue({ retry });

  // Stored (webhook answered 200) per number, and the moment the reply to that number reached the Graph API.
  const ackedAt = new Map<string, number>();
  const reply: number[] = [];
  const timedFetch = async (input: string, init: RequestInit): Promise<Response> => {
    const response = await fetch(input, init);
    const to = (JSON.parse(typeof init.body === 'string' ? init.body : '{}') as { to?: string }).to;
    const acked = to === undefined ? undefined : ackedAt.get(to);
    if (to !== undefined && acked !== undefined) {
      reply.push(performance.now() - acked);
      ackedAt.delete(to);
    }
    return response;
  };
  const workerDeps = { db: database.db, logger, whatsapp: { graphUrl: graph.url, phoneNumberId, accessToken: 'bench' }, pseudonymKey, fetch: timedFetch };
  await queue.startWorkers(createJobHandlers(workerDeps), { onFailed: createOnFailed(workerDeps), concurrency: 4 });
  const app = createHttpApp({ db: database.db, queue, logger, pseudonymKey, defaultMunicipality: 'GM0479', whatsapp: { verifyToken: 'v', appSecret }, secure: false, serveApp: true, health: () => queue.health() });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;

  const failures: Record<string, number> = {};
  const deliver = async (phone: string): Promise<number | undefined> => {
    const raw = textDelivery(phoneNumberId, phone, 'De lift in onze flat is al twee weken kapot en mijn moeder kan niet naar buiten.');
    const t0 = performance.now();
    const response = await fetch(url, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(appSecret, raw) } });
    await response.arrayBuffer();
    const t1 = performance.now();
    if (response.status !== 200) {
      failures[String(response.status)] = (failures[String(response.status)] ?? 0) + 1;
      return undefined;
    }
    ackedAt.set(phone, t1);
    return t1 - t0;
  };

  // Warm-up (JIT, connection pools), not measured.
  const warm: number[] = [];
  for (let i = 0; i < 30; i++) warm.push((await deliver(`3169${String(i).padStart(7, '0')}`)) ?? Number.NaN);
  const sequential = percentile(warm.slice(10), 50);
  log(`  one delivery at a time: ${r1(sequential)} ms (median of 20)`);
  await new Promise((r) => setTimeout(r, 300));
  reply.length = 0;
  ackedAt.clear();

  log(`bot bench on ${setup}: ${rate} deliveries/s for ${seconds} s`);
  const total = rate * seconds;
  const webhook: number[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      const phone = `3161${String(sent).padStart(7, '0')}`;
      inFlight.push(
        deliver(phone).then(
          (ms) => {
            if (ms !== undefined) webhook.push(ms);
          },
          (error: unknown) => {
            const key = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message).slice(0, 60) : 'error';
            failures[key] = (failures[key] ?? 0) + 1;
          },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inFlight);
  // Let the send jobs finish (bounded).
  const deadline = performance.now() + 20_000;
  while (ackedAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (ackedAt.size > 0) log(`  ${ackedAt.size} replies not sent within 20 s`);

  await new Promise<void>((resolve) => server.close(() => resolve()));
  await queue.close();
  await graph.close();
  await database.drop();
  if (queueKind === 'bullmq' && redisUrl) {
    const redis = new Redis(redisUrl);
    try {
      for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
    } finally {
      await redis.quit();
    }
  }
  return { setup, rate, seconds, sent, ok: webhook.length, webhook, reply, sequential, failures };
}

export async function botBenchmarks(log: (m: string) => void): Promise<Record<string, unknown>[]> {
  const seconds = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 10);
  // PGlite is one embedded engine in this process (the small-municipality default): its own, lower rate.
  const setups: [string, TestDatabaseKind, 'in-process' | 'bullmq', number][] = [['pglite + in-process queue', 'pglite', 'in-process', Number(process.env.BENCH_PGLITE_RATE ?? 20)]];
  if (process.env.DATABASE_URL && process.env.REDIS_URL) setups.push(['postgres + BullMQ', 'postgres', 'bullmq', Number(process.env.BENCH_WEBHOOK_RATE ?? 200)]);
  const entries: Record<string, unknown>[] = [];
  for (const [setup, kind, queueKind, rate] of setups) {
    const run = await runSetup(setup, kind, queueKind, rate, seconds, log);
    const how = `test/bench/bot.ts on ${setup}: signed first messages of new residents, open-loop at ${rate}/s for ${seconds} s, one process (web + workers), loopback`;
    entries.push(
      {
        name: 'webhook.latency.p99',
        unit: 'ms',
        value: r1(percentile(run.webhook, 99)),
        n: run.ok,
        setup,
        rate_per_s: rate,
        seconds,
        p50: r1(percentile(run.webhook, 50)),
        failed: run.sent - run.ok,
        failures: run.failures,
        sequential_median: r1(run.sequential),
        how: `${how}; POST sent → 200 received`,
      },
      {
        name: 'bot.reply.p99',
        unit: 'ms',
        value: r1(percentile(run.reply, 99)),
        n: run.reply.length,
        setup,
        rate_per_s: rate,
        p50: r1(percentile(run.reply, 50)),
        how: `${how}; message stored (200) → reply handed to the local fake Graph API by the message.send job`,
      },
    );
  }
  entries.push({
    name: 'web.rss',
    unit: 'MB',
    value: Math.round(process.memoryUsage().rss / 1024 / 1024),
    n: 1,
    how: 'resident set size of the bench process after the bot runs: web, workers, PGlite and the analysis bench in one process (an upper bound for ROLE=web)',
  });
  return entries;
}
