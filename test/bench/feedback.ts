/**
 * Feedback figures for `npm run bench` (issue 6): an agenda item reported back to 10,000 residents who asked to hear
 * back on WhatsApp (all inside the 24-hour window, so every one is a free-text send), on PGlite with the in-process
 * queue and, when DATABASE_URL and REDIS_URL are set, on PostgreSQL with BullMQ; sends go to the local fake Graph API.
 *   feedback.fanout.seconds: the 'feedback.fanout' job enqueued (the click) → every delivery row and message stored
 *     and every send queued.
 *   feedback.delivery.rate: Graph API requests per second over the first BENCH_FEEDBACK_MESSAGES (default 800)
 *     sends, with the busiest one-second window (sampled every 20 ms), against the 80 messages/s limit.
 * Seeding the residents is not timed. Run alone: node --import tsx test/bench/feedback.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { deleteRedisKeys } from '../support/redis.ts';
import type { Kysely } from 'kysely';
import { createLogger } from '../../app/logger.ts';
import type { Database } from '../../db/database.ts';
import { createBullMqQueue, createInProcessQueue, defaultSendRate, type JobQueue } from '../../pipeline/queue/index.ts';
import { createJobHandlers, createOnFailed } from '../../pipeline/workers/handlers.ts';
import { openTestDatabase, type TestDatabaseKind } from '../support/databases.ts';
import { startFakeGraphApi } from '../support/fake-graph-api.ts';
import { addCluster, seedRegion } from '../support/loop.ts';

const pseudonymKey = 'f'.repeat(32);
const phoneNumberId = '1122334455667';
const r2 = (x: number) => Math.round(x * 100) / 100;

/** 10,000 WhatsApp residents who asked to hear back, each with an open conversation and a signal in the cluster. */
async function seedResidents(db: Kysely<Database>, clusterId: string, n: number): Promise<void> {
  const lastSeen = new Date(Date.now() - 3600_000);
  for (let start = 0; start < n; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - start) }, (_, k) => {
      const i = start + k;
      return { resident: randomUUID(), conversation: randomUUID(), phone: `3161${String(i).padStart(7, '0')}` };
    });
    await db
      .insertInto('residents')
      .values(rows.map((r) => ({ id: r.resident, municipality_code: 'GM0479', channel: 'whatsapp' as const, channel_key_hash: randomBytes(16).toString('hex'), language: 'nl', wants_feedback: true, consent_at: lastSeen, contact: r.phone, last_seen_at: lastSeen })))
      .execute();
    await db
      .insertInto('conversations')
      .values(rows.map((r) => ({ id: r.conversation, resident_id: r.resident, municipality_code: 'GM0479', channel: 'whatsapp' as const, state: 'listening', language: 'nl', updated_at: lastSeen })))
      .execute();
    await db
      .insertInto('signals')
      .values(rows.map((r) => ({ id: randomUUID(), municipality_code: 'GM0479', reference: `WS-${randomBytes(6).toString('hex')}`, source: 'whatsapp' as const, resident_id: r.resident, conversation_id: r.conversation, status: 'analysed' as const, cluster_id: clusterId })))
      .execute();
  }
}

interface FeedbackRun {
  fanoutSeconds: number;
  stored: number;
  measured: number;
  ratePerSecond: number;
  busiestWindow: number;
}

async function runSetup(kind: TestDatabaseKind, queueKind: 'in-process' | 'bullmq', n: number, measure: number, log: (m: string) => void): Promise<FeedbackRun> {
  const database = await openTestDatabase(kind);
  const graph = await startFakeGraphApi();
  const prefix = `wijkstem_bench_${randomBytes(4).toString('hex')}`;
  const redisUrl = process.env.REDIS_URL ?? '';
  const retry = { attempts: 3, backoffMs: 200 };
  const queue: JobQueue = queueKind === 'bullmq' ? createBullMqQueue({ redisUrl, prefix, retry }) : createInProcessQueue({ retry });
  try {
    const db = database.db;
    await seedRegion(db);
    const clusterId = await addCluster(db, 'GM0479', 'wachtlijst huishoudelijke hulp');
    log(`  seeding ${n} residents`);
    await seedResidents(db, clusterId, n);
    const itemId = randomUUID();
    await db
      .insertInto('agenda_items')
      .values({ id: itemId, municipality_code: 'GM0479', title: 'Wachtlijst huishoudelijke hulp', status: 'reported_back', advice: null, decision: 'Twee extra hulpen.', feedback_nl: 'Vanaf maart zijn er twee extra huishoudelijke hulpen.', feedback_en: null, created_by: null, reported_back_at: new Date() })
      .execute();
    await db.insertInto('agenda_item_clusters').values({ agenda_item_id: itemId, cluster_id: clusterId, label: 'wachtlijst huishoudelijke hulp', domain_key: 'zorg' }).execute();

    const logger = createLogger('silent');
    const deps = { db, logger, queue, pseudonymKey, whatsapp: { graphUrl: graph.url, phoneNumberId, accessToken: 'bench-token' } };
    const handlers = createJobHandlers(deps);
    let fannedOut: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      fannedOut = resolve;
    });
    const fanout = handlers['feedback.fanout'];
    handlers['feedback.fanout'] = async (payload, job) => {
      await fanout(payload, job);
      fannedOut();
    };
    await queue.startWorkers(handlers, { concurrency: 8, onFailed: createOnFailed(deps) });

    log(`  reported back: fan-out to ${n}`);
    const t0 = performance.now();
    await queue.enqueue('feedback.fanout', { agendaItemId: itemId });
    await done;
    const fanoutSeconds = (performance.now() - t0) / 1000;
    const stored = Number((await db.selectFrom('feedback_deliveries').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);

    // Graph API requests counted every 20 ms until `measure` have arrived.
    log(`  delivery: waiting for ${measure} sends`);
    const samples: { at: number; count: number }[] = [];
    const deadline = performance.now() + (measure / defaultSendRate.max) * defaultSendRate.durationMs * 3 + 30_000;
    while (graph.requests.length < measure && performance.now() < deadline) {
      samples.push({ at: performance.now(), count: graph.requests.length });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    samples.push({ at: performance.now(), count: graph.requests.length });
    const first = samples.find((s) => s.count > 0) ?? samples[0];
    const last = samples.at(-1);
    const measured = Math.min(last?.count ?? 0, measure);
    const seconds = first && last ? (last.at - first.at) / 1000 : 0;
    let busiestWindow = 0;
    for (const s of samples) {
      const end = samples.findLast((u) => u.at <= s.at + 1000);
      if (end) busiestWindow = Math.max(busiestWindow, end.count - s.count);
    }
    return { fanoutSeconds, stored, measured, ratePerSecond: seconds > 0 ? (measured - (first?.count ?? 0)) / seconds : 0, busiestWindow };
  } finally {
    await queue.close();
    await graph.close();
    await database.drop();
    if (queueKind === 'bullmq') await deleteRedisKeys(redisUrl, `${prefix}:*`);
  }
}


export async function feedbackBenchmarks(log: (m: string) => void): Promise<Record<string, unknown>[]> {
  const n = 10_000;
  const measure = Number(process.env.BENCH_FEEDBACK_MESSAGES ?? 800);
  const setups: [string, TestDatabaseKind, 'in-process' | 'bullmq'][] = [['pglite + in-process queue', 'pglite', 'in-process']];
  if (process.env.DATABASE_URL && process.env.REDIS_URL) setups.push(['postgres + BullMQ', 'postgres', 'bullmq']);
  const entries: Record<string, unknown>[] = [];
  for (const [setup, kind, queueKind] of setups) {
    log(`feedback on ${setup}`);
    const run = await runSetup(kind, queueKind, n, measure, log);
    const how = `test/bench/feedback.ts on ${setup}: one agenda item reported back to ${n} WhatsApp residents inside the 24-hour window, one process (web + workers, concurrency 8), local fake Graph API`;
    entries.push(
      { name: 'feedback.fanout.seconds', unit: 's', value: r2(run.fanoutSeconds), n, stored: run.stored, setup, target: 2, how: `${how}; 'feedback.fanout' enqueued → every delivery row and message stored and every send queued` },
      {
        name: 'feedback.delivery.rate',
        unit: 'messages/s',
        value: r2(run.ratePerSecond),
        n: run.measured,
        busiest_1s_window: run.busiestWindow,
        limit: Math.floor(1000 / defaultSendRate.durationMs) * defaultSendRate.max,
        setup,
        how: `${how}; Graph API requests over the first ${run.measured} sends (counted every 20 ms), and the most in any one-second span`,
      },
    );
  }
  return entries;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const entries = await feedbackBenchmarks((m) => process.stderr.write(`${m}\n`));
  process.stdout.write(`${JSON.stringify({ benchmarks: entries }, null, 2)}\n`);
}
