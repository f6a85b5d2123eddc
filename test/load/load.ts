/**
 * Load and soak (issue 7). Starts its own system (test/load/processes.ts: PostgreSQL database and Redis prefix of
 * its own, ROLE=web and ROLE=worker apart, fake Graph API), all on loopback, and plays residents at it: nine in ten
 * signed WhatsApp first messages, one in ten web chat posts from new sessions.
 *
 *   node --import tsx test/load/load.ts [--steps 50,100,200,400] [--seconds 20]
 *     per step: deliveries/s achieved, p50/p99 acknowledgement latency, errors
 *   node --import tsx test/load/load.ts --soak --minutes 30 --rate 100
 *     RSS of web and worker and the BullMQ queue depth every 10 s; memory growth, last sample vs first after warm-up
 *
 * Bounded: at most 1,000/s, 120 s per step, 60 minutes of soak. Needs DATABASE_URL and REDIS_URL on loopback.
 * Prints one JSON document on stdout (CONTRACTS.md section 7), progress on stderr.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { startSystem, type System } from './processes.ts';
import { ChatSession, chatAddress, deliver, delivery, newWamid, percentile, queueDepth, r1, rssMb, sleep } from './residents.ts';

const story = 'De lift in onze flat is al twee weken kapot en mijn moeder kan niet naar buiten.';
const noRetry = { attempts: 1, delayMs: 0 };

export interface StepResult {
  rate: number;
  seconds: number;
  sent: number;
  acked: number;
  achieved: number;
  p50: number;
  p99: number;
  errors: Record<string, number>;
}

let residentCounter = 0;

/** Open loop: residents arrive at `rate` a second for `seconds`, whether or not earlier ones got their answer. */
export async function runStep(system: System, rate: number, seconds: number): Promise<StepResult> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  const one = async (i: number) => {
    const n = residentCounter++;
    let ack;
    if (i % 10 === 9) {
      const session = new ChatSession(system.webUrl, chatAddress(n % 5000));
      ack = await session.post({ text: story }, randomBytes(18).toString('base64url'), noRetry).finally(() => session.close());
    } else {
      ack = await deliver(system.webUrl, delivery(`3166${String(n).padStart(8, '0')}`, newWamid(), { text: story }), noRetry);
    }
    if (ack.ms !== undefined) latencies.push(ack.ms);
    else errors[ack.outcome] = (errors[ack.outcome] ?? 0) + 1;
  };
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
    for (; sent < due; sent++) inFlight.push(one(sent));
    await sleep(2);
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  return { rate, seconds, sent: total, acked: latencies.length, achieved: r1(latencies.length / elapsed), p50: r1(percentile(latencies, 50)), p99: r1(percentile(latencies, 99)), errors };
}

export interface SoakSample {
  at: number;
  webRss: number | undefined;
  workerRss: number | undefined;
  queue: Record<string, number>;
}

export interface SoakResult {
  minutes: number;
  rate: number;
  steps: StepResult[];
  samples: SoakSample[];
  webGrowth: number;
  workerGrowth: number;
}

const growth = (samples: SoakSample[], key: 'webRss' | 'workerRss', from: number): number => {
  const first = samples[from]?.[key];
  const last = samples.at(-1)?.[key];
  return first === undefined || last === undefined ? Number.NaN : r1(((last - first) / first) * 100);
};

/** Soak: `rate` a second for `minutes`, in one-minute steps; samples every 10 s; growth from the sample after a minute. */
export async function soak(system: System, rate: number, minutes: number, log: (m: string) => void): Promise<SoakResult> {
  const depth = queueDepth(system.redisUrl, system.prefix);
  const samples: SoakSample[] = [];
  const started = performance.now();
  const sample = async () => {
    const s = { at: r1((performance.now() - started) / 1000), webRss: rssMb(system.web.pid), workerRss: rssMb(system.worker.pid), queue: await depth.read() };
    samples.push(s);
    log(`  ${s.at} s: web ${r1(s.webRss ?? Number.NaN)} MB, worker ${r1(s.workerRss ?? Number.NaN)} MB, queue ${JSON.stringify(s.queue)}`);
  };
  await sample();
  const timer = setInterval(() => void sample().catch(() => undefined), 10_000);
  const steps: StepResult[] = [];
  try {
    for (let m = 0; m < minutes; m++) {
      const step = await runStep(system, rate, 60);
      steps.push(step);
      log(`  minute ${m + 1}: ${step.achieved}/s, p50 ${step.p50} ms, p99 ${step.p99} ms, errors ${JSON.stringify(step.errors)}`);
    }
  } finally {
    clearInterval(timer);
  }
  await sample();
  await depth.close();
  const warm = samples.findIndex((s) => s.at >= 60);
  const from = warm < 0 ? 0 : warm;
  return { minutes, rate, steps, samples, webGrowth: growth(samples, 'webRss', from), workerGrowth: growth(samples, 'workerRss', from) };
}

const setup = 'postgres + BullMQ, ROLE=web and ROLE=worker as separate processes, loopback; 9 in 10 signed WhatsApp first messages, 1 in 10 web chat posts';

/** Bench entries (CONTRACTS section 7) for a rising-rate run. */
export function stepEntries(steps: StepResult[]): Record<string, unknown>[] {
  const held = steps.filter((s) => s.p99 <= 100 && s.acked === s.sent).map((s) => s.rate);
  return [
    ...steps.map((s) => ({
      name: `load.step_${s.rate}.ack.p99`,
      unit: 'ms',
      value: s.p99,
      n: s.acked,
      setup,
      rate_per_s: s.rate,
      seconds: s.seconds,
      achieved_per_s: s.achieved,
      p50: s.p50,
      errors: s.errors,
      how: `test/load/load.ts: open loop at ${s.rate}/s for ${s.seconds} s; POST sent → 200 received`,
    })),
    {
      name: 'load.held',
      unit: 'deliveries/s',
      value: held.length > 0 ? Math.max(...held) : 0,
      n: steps.length,
      setup,
      steps: steps.map((s) => s.rate),
      how: 'test/load/load.ts: highest step rate with every request answered 200 and p99 ≤ 100 ms',
    },
  ];
}

export async function loadBenchmarks(log: (m: string) => void, options: { steps: number[]; seconds: number }): Promise<Record<string, unknown>[]> {
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    log('load bench skipped: it needs DATABASE_URL and REDIS_URL');
    return [];
  }
  const system = await startSystem();
  try {
    const steps: StepResult[] = [];
    for (const rate of options.steps) {
      log(`  load: ${rate}/s for ${options.seconds} s`);
      const step = await runStep(system, rate, options.seconds);
      steps.push(step);
      log(`    ${step.achieved}/s achieved, p50 ${step.p50} ms, p99 ${step.p99} ms, errors ${JSON.stringify(step.errors)}`);
      await sleep(2_000);
    }
    return stepEntries(steps);
  } finally {
    await system.stop();
  }
}

function bounded(value: number, min: number, max: number, what: string): number {
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${what} must be between ${min} and ${max}`);
  return value;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { steps: { type: 'string', default: '50,100,200,400' }, seconds: { type: 'string', default: '20' }, soak: { type: 'boolean', default: false }, minutes: { type: 'string', default: '30' }, rate: { type: 'string', default: '100' } },
  });
  const log = (m: string) => process.stderr.write(`${m}\n`);
  let benchmarks: Record<string, unknown>[];
  if (values.soak) {
    const minutes = bounded(Number(values.minutes), 1, 60, '--minutes');
    const rate = bounded(Number(values.rate), 1, 1000, '--rate');
    const system = await startSystem();
    try {
      log(`soak: ${rate}/s for ${minutes} min`);
      const s = await soak(system, rate, minutes, log);
      const latencies = s.steps.map((st) => st.p99);
      benchmarks = [
        { name: 'soak.web.rss_growth', unit: '%', value: s.webGrowth, n: s.samples.length, setup, rate_per_s: rate, minutes, samples: s.samples, how: 'test/load/load.ts --soak: RSS of the ROLE=web process every 10 s; last sample vs the first after one minute of warm-up' },
        { name: 'soak.worker.rss_growth', unit: '%', value: s.workerGrowth, n: s.samples.length, setup, rate_per_s: rate, minutes, how: 'the same for the ROLE=worker process' },
        {
          name: 'soak.ack.p99',
          unit: 'ms',
          value: Math.max(...latencies),
          n: s.steps.reduce((a, st) => a + st.acked, 0),
          setup,
          sent: s.steps.reduce((a, st) => a + st.sent, 0),
          errors: s.steps.reduce<Record<string, number>>((a, st) => {
            for (const [k, v] of Object.entries(st.errors)) a[k] = (a[k] ?? 0) + v;
            return a;
          }, {}),
          queue_max: Math.max(...s.samples.map((x) => (x.queue.waiting ?? 0) + (x.queue.active ?? 0) + (x.queue.delayed ?? 0) + (x.queue.prioritized ?? 0))),
          how: 'test/load/load.ts --soak: the worst per-minute p99 of POST sent → 200 received; queue_max: most jobs waiting, active or delayed in a sample',
        },
      ];
    } finally {
      await system.stop();
    }
  } else {
    const steps = values.steps.split(',').map((x) => bounded(Number(x), 1, 1000, '--steps'));
    const seconds = bounded(Number(values.seconds), 1, 120, '--seconds');
    benchmarks = await loadBenchmarks(log, { steps, seconds });
  }
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadavg: loadavg().map((l) => r1(l)) };
  process.stdout.write(`${JSON.stringify({ machine, benchmarks }, null, 2)}\n`);
}
