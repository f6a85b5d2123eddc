/**
 * Bot figures for `npm run bench` (CONTRACTS.md section 7), on PostgreSQL and Redis with the web process (ROLE=web)
 * and the worker (ROLE=worker) as separate child processes, as in production; everything on loopback, bounded.
 *
 * 1. WhatsApp: signed first messages of new residents (one in ten a crisis message) to POST /webhooks/whatsapp,
 *    open-loop at BENCH_WEBHOOK_RATE deliveries/s (default 200) for BENCH_WEBHOOK_SECONDS (default 60).
 *      webhook.latency.p99   request sent → 200 received (the message is stored before the 200)
 *      bot.reply.p99         200 received → the reply handed to the local fake Graph API (turn job + send job);
 *                            `stored_p99`: inbound stored → reply stored, from the rows' timestamps
 *      bot.crisis_reply.p99  the same for the crisis messages (112/113 in the reply)
 *      web.rss / worker.rss  peak resident set size of each child process during the run
 * 2. Web chat: BENCH_CHAT_SESSIONS (default 1,000) sessions at once, each on its own keep-alive connection, each
 *    posting a first message and then a second with its session cookie.
 *      chat.latency.p99      POST /chat (JSON) sent → reply received, over both rounds; errors counted
 * The web chat limits posts per address (30 a minute): the sessions are spread over loopback addresses
 * 127.0.1.x, ten sessions each. Skipped (with a note on stderr) without DATABASE_URL and REDIS_URL.
 * BENCH_WORKER_CONCURRENCY (default 8) and BENCH_WEB_NODE_OPTIONS (passed to the web process) tune the processes.
 */
import { Agent } from 'node:http';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { deleteRedisKeys } from '../support/redis.ts';
import { signBody } from '../../bot/channels/whatsapp/signature.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { startWijkstemProcess, type AppProcess } from '../support/app-process.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.ts';
import { uniqueName } from '../support/services.ts';
import { postChat } from '../support/chat-post.ts';
import { textDelivery } from '../support/whatsapp-delivery.ts';

const appSecret = 'bench-app-secret';
const phoneNumberId = '1122334455667';
const story = 'De lift in onze flat is al twee weken kapot en mijn moeder kan niet naar buiten.';
const crisis = 'Ik wil niet meer leven, ik zie het echt niet meer zitten.';

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const r1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Peak RSS of a child process, sampled from /proc (Linux). */
function rssSampler(pid: number | undefined): { stop: () => number } {
  let peak = 0;
  const sample = () => {
    if (pid === undefined) return;
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb !== undefined) peak = Math.max(peak, Number(kb) / 1024);
    } catch {
      // gone or not Linux
    }
  };
  sample();
  const timer = setInterval(sample, 250);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return Math.round(peak);
    },
  };
}

interface Running {
  database: TestDatabase;
  graph: FakeGraphApi;
  web: AppProcess;
  worker: AppProcess;
  webUrl: string;
  prefix: string;
}

async function startProcesses(log: (m: string) => void): Promise<Running> {
  const database = await openTestDatabase('postgres');
  await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
  const graph = await startFakeGraphApi();
  const prefix = uniqueName('wijkstem_bench');
  const env = {
    DATABASE_URL: database.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    WIJKSTEM_QUEUE_PREFIX: prefix,
    WIJKSTEM_PSEUDONYM_KEY: 'b'.repeat(32),
    WIJKSTEM_MUNICIPALITY: 'GM0479',
    WIJKSTEM_DEMO: 'false',
    WHATSAPP_VERIFY_TOKEN: 'v',
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_ACCESS_TOKEN: 'bench',
    WHATSAPP_PHONE_NUMBER_ID: phoneNumberId,
    WHATSAPP_GRAPH_URL: graph.url,
    WHATSAPP_SEND_RATE: '1000',
    WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '8',
    LOG_LEVEL: 'warn',
  };
  // BENCH_WEB_NODE_OPTIONS: e.g. --max-old-space-size=160, to see how much of the web process's memory is garbage.
  const web = await startWijkstemProcess({ ...env, ROLE: 'web', NODE_OPTIONS: process.env.BENCH_WEB_NODE_OPTIONS });
  const worker = await startWijkstemProcess({ ...env, ROLE: 'worker' });
  const webUrl = web.url.replace('localhost', '127.0.0.1');
  log(`  web (pid ${web.pid ?? '?'}) at ${webUrl}, worker (pid ${worker.pid ?? '?'}) up`);
  return { database, graph, web, worker, webUrl, prefix };
}

async function stopProcesses(r: Running): Promise<void> {
  await r.web.stop();
  await r.worker.stop();
  await r.graph.close();
  await r.database.drop();
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) return;
  await deleteRedisKeys(redisUrl, `${r.prefix}:*`);
}

interface WebhookRun {
  sent: number;
  webhook: number[];
  reply: number[];
  crisisReply: number[];
  stored: number[];
  missing: number;
  failures: Record<string, number>;
  webRss: number;
  workerRss: number;
  sequential: number;
}

async function webhookRun(r: Running, rate: number, seconds: number, log: (m: string) => void): Promise<WebhookRun> {
  const url = `${r.webUrl}/webhooks/whatsapp`;
  const failures: Record<string, number> = {};
  const ackedAt = new Map<string, number>();
  const isCrisis = new Set<string>();
  const deliver = async (phone: string, raw: string, signature: string): Promise<number | undefined> => {
    const t0 = performance.now();
    const response = await fetch(url, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } });
    await response.arrayBuffer();
    const t1 = performance.now();
    if (response.status !== 200) {
      failures[String(response.status)] = (failures[String(response.status)] ?? 0) + 1;
      return undefined;
    }
    ackedAt.set(phone, t1);
    return t1 - t0;
  };
  const prepare = (i: number, prefix: string) => {
    const phone = `${prefix}${String(i).padStart(7, '0')}`;
    const raw = textDelivery(phoneNumberId, phone, i % 10 === 5 ? crisis : story);
    if (i % 10 === 5) isCrisis.add(phone);
    return { phone, raw, signature: signBody(appSecret, raw) };
  };

  // Warm-up (JIT, connection pools), not measured.
  const warm: number[] = [];
  for (let i = 0; i < 50; i++) {
    const d = prepare(i, '3169');
    warm.push((await deliver(d.phone, d.raw, d.signature)) ?? Number.NaN);
  }
  const sequential = percentile(warm.slice(20), 50);
  log(`  one delivery at a time: ${r1(sequential)} ms (median of 30)`);
  await sleep(1_000);
  const warmRequests = r.graph.requests.length;
  ackedAt.clear();

  // Bodies made and signed before the clock starts, so the client's own work does not delay the sends.
  const total = rate * seconds;
  const deliveries = Array.from({ length: total }, (_, i) => prepare(i, '3161'));
  log(`  webhook: ${rate} deliveries/s for ${seconds} s (${total})`);
  const webRss = rssSampler(r.web.pid);
  const workerRss = rssSampler(r.worker.pid);
  const webhook: number[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      const d = deliveries[sent];
      if (!d) break;
      inFlight.push(
        deliver(d.phone, d.raw, d.signature).then(
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
    await sleep(2);
  }
  await Promise.all(inFlight);
  // Let the turns and sends finish (bounded).
  const deadline = performance.now() + 60_000;
  const replied = () => r.graph.requests.length - warmRequests;
  while (replied() < webhook.length && performance.now() < deadline) await sleep(100);
  const peakWeb = webRss.stop();
  const peakWorker = workerRss.stop();

  const reply: number[] = [];
  const crisisReply: number[] = [];
  for (const request of r.graph.requests.slice(warmRequests)) {
    const to = (request.body as { to?: string } | undefined)?.to;
    const acked = to === undefined ? undefined : ackedAt.get(to);
    if (to === undefined || acked === undefined) continue;
    (isCrisis.has(to) ? crisisReply : reply).push(request.receivedAt - acked);
    ackedAt.delete(to);
  }
  // Inbound stored → reply stored, from the rows (the reply's created_at is its transaction's start: a lower bound).
  const rows = await r.database.db
    .selectFrom('messages as i')
    .innerJoin('messages as o', (join) => join.onRef('o.conversation_id', '=', 'i.conversation_id').on('o.direction', '=', 'out'))
    .select(['i.id', 'i.created_at as inAt'])
    .select((eb) => eb.fn.min('o.created_at').as('outAt'))
    .where('i.direction', '=', 'in')
    .groupBy(['i.id', 'i.created_at'])
    .execute();
  const stored = rows.map((row) => new Date(row.outAt).getTime() - row.inAt.getTime());
  return { sent: total, webhook, reply, crisisReply, stored, missing: ackedAt.size, failures, webRss: peakWeb, workerRss: peakWorker, sequential };
}

interface ChatRun {
  sessions: number;
  latency: number[];
  errors: Record<string, number>;
  webRss: number;
}

async function chatRun(r: Running, sessions: number, log: (m: string) => void): Promise<ChatRun> {
  const base = new URL(r.webUrl);
  log(`  web chat: ${sessions} sessions at once, two messages each`);
  const webRss = rssSampler(r.web.pid);
  const latency: number[] = [];
  const errors: Record<string, number> = {};
  const count = (key: string) => (errors[key] = (errors[key] ?? 0) + 1);
  const session = async (i: number) => {
    // Its own connection (keep-alive, one socket) from its own loopback address: ten sessions per address.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const localAddress = `127.0.1.${1 + Math.floor(i / 10)}`;
    let cookie: string | undefined;
    try {
      for (const text of ['De stoep in onze straat is al maanden kapot.', 'ja']) {
        const t0 = performance.now();
        const res = await postChat(base, agent, localAddress, { text, mid: randomBytes(18).toString('base64url') }, cookie, 60_000);
        if (res.status !== 200) {
          count(String(res.status));
          return;
        }
        latency.push(performance.now() - t0);
        cookie ??= res.cookie;
      }
    } catch (error) {
      count(error instanceof Error ? error.message.slice(0, 60) : 'error');
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: sessions }, (_, i) => session(i)));
  return { sessions, latency, errors, webRss: webRss.stop() };
}

/** The last error lines the web process printed (log level warn): why requests failed, for the progress log. */
function lastErrors(process: AppProcess, count = 3): string[] {
  const lines = process.output().split('\n').filter((l) => /"level":(50|60)|error/i.test(l));
  return lines.slice(-count).map((l) => l.slice(0, 300));
}

export async function botBenchmarks(log: (m: string) => void): Promise<Record<string, unknown>[]> {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    log('bot bench skipped: it needs DATABASE_URL and REDIS_URL (web and worker as separate processes)');
    return [];
  }
  const rate = Number(process.env.BENCH_WEBHOOK_RATE ?? 200);
  const seconds = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 60);
  const sessions = Number(process.env.BENCH_CHAT_SESSIONS ?? 1000);
  const setup = 'postgres + BullMQ, ROLE=web and ROLE=worker as separate processes, loopback';
  const running = await startProcesses(log);
  try {
    const w = await webhookRun(running, rate, seconds, log);
    if (w.webhook.length < w.sent) for (const line of lastErrors(running.web)) log(`  web: ${line}`);
    const chat = await chatRun(running, sessions, log);
    if (Object.keys(chat.errors).length > 0) for (const line of lastErrors(running.web)) log(`  web: ${line}`);
    const how = `test/bench/bot.ts on ${setup}: signed first messages of new residents (1 in 10 a crisis message), open-loop at ${rate}/s for ${seconds} s`;
    return [
      {
        name: 'webhook.latency.p99',
        unit: 'ms',
        value: r1(percentile(w.webhook, 99)),
        n: w.webhook.length,
        setup,
        rate_per_s: rate,
        seconds,
        p50: r1(percentile(w.webhook, 50)),
        failed: w.sent - w.webhook.length,
        failures: w.failures,
        sequential_median: r1(w.sequential),
        how: `${how}; POST sent → 200 received (the inbound message is stored before the 200)`,
      },
      {
        name: 'bot.reply.p99',
        unit: 'ms',
        value: r1(percentile(w.reply, 99)),
        n: w.reply.length,
        setup,
        p50: r1(percentile(w.reply, 50)),
        stored_p50: r1(percentile(w.stored, 50)),
        stored_p99: r1(percentile(w.stored, 99)),
        stored_n: w.stored.length,
        not_replied: w.missing,
        how: `${how}; 200 received → reply handed to the local fake Graph API (conversation.turn job, then message.send job). stored_*: inbound stored → reply stored, from the rows`,
      },
      {
        name: 'bot.crisis_reply.p99',
        unit: 'ms',
        value: r1(percentile(w.crisisReply, 99)),
        n: w.crisisReply.length,
        setup,
        p50: r1(percentile(w.crisisReply, 50)),
        how: `${how}; the crisis messages only: 200 received → reply with 112/113 handed to the fake Graph API`,
      },
      {
        name: 'chat.latency.p99',
        unit: 'ms',
        value: r1(percentile(chat.latency, 99)),
        n: chat.latency.length,
        setup,
        sessions: chat.sessions,
        p50: r1(percentile(chat.latency, 50)),
        errors: chat.errors,
        how: `test/bench/bot.ts: ${chat.sessions} web chat sessions at once, each on its own keep-alive connection, each posting a first message and a second with its cookie (JSON); POST sent → reply received`,
      },
      { name: 'web.rss', unit: 'MB', value: Math.max(w.webRss, chat.webRss), n: 1, setup, how: 'peak RSS of the ROLE=web process during the webhook and web chat runs (/proc VmRSS, sampled every 250 ms)' },
      { name: 'worker.rss', unit: 'MB', value: w.workerRss, n: 1, setup, how: 'peak RSS of the ROLE=worker process during the webhook run' },
    ];
  } finally {
    await stopProcesses(running);
  }
}

// `node --import tsx test/bench/bot.ts`: these figures alone, as one JSON document (section 7).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const benchmarks = await botBenchmarks(log);
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadavg: loadavg().map((l) => Math.round(l * 10) / 10) };
  process.stdout.write(`${JSON.stringify({ machine, benchmarks }, null, 2)}\n`);
}
