/**
 * Dashboard figures at scale for `npm run bench` (issue 5): a fresh PostgreSQL database filled with BENCH_SIGNALS
 * (default 1,000,000) signals of the demo municipality, spread over its wijken and buurten, the life domains,
 * channels, resident roles, age bands and ~2 years, about one cluster per 50 signals (sizes skewed: a few big ones,
 * a long tail). The fill is set-based SQL (generate_series), timed. Then, as a logged-in council member:
 *   dashboard.<route>.p50/p95: server response time of the in-process app (app.request: routing, session check,
 *     queries, rendering; no socket) for /dashboard, /dashboard/clusters, /dashboard/clusters/:id and
 *     /dashboard/kaart, unfiltered and with typical filters (a quarter, a domain, a wijk), after a warm-up;
 *   dashboard.first_render.*: chromium's navigation timing (load event) for /dashboard and /dashboard/clusters,
 *     served over a local socket.
 * Run alone: node --import tsx test/bench/dashboard-scale.ts. BENCH_DATABASE_URL reuses a database filled by an
 * earlier run (BENCH_KEEP_DB=1 keeps it and prints its URL on stderr), for comparing query changes on the same data.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { createHttpApp } from '../../app/http/app.ts';
import { createLogger } from '../../app/logger.ts';
import { hashPassword } from '../../dashboards/auth/password.ts';
import { openDatabase } from '../../db/connect.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { createUser } from '../../db/repositories/users.ts';
import { defaultDomainKeys } from '../../pipeline/taxonomy.ts';
import { createInProcessQueue } from '../../pipeline/queue/index.ts';
import { createPostgresDatabase } from '../support/databases.ts';
import { chromiumPath } from '../support/services.ts';

const municipality = 'GM0479';
const email = 'raad@bench.test';
const password = 'correct horse battery staple';
const base = 'http://wijkstem.test';
const r1 = (x: number) => Math.round(x * 10) / 10;

/** Fills an empty, migrated database with the demo gazetteer and `n` signals; returns the seconds it took. */
async function fill(url: string, n: number, log: (m: string) => void): Promise<{ seconds: number; clusters: number; residents: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  const q = async (what: string, text: string) => {
    const t0 = performance.now();
    await client.query(text);
    log(`  ${what}: ${r1((performance.now() - t0) / 1000)} s`);
  };
  const clusters = Math.max(1, Math.round(n / 50));
  const residents = Math.max(1, Math.round(n / 3));
  const domains = `array[${defaultDomainKeys.map((d) => `'${d}'`).join(',')}]`;
  try {
    // Buurten numbered, so a random number picks one; residents live somewhere, 10% unknown.
    await q('places', `create temp table bb as select row_number() over (order by code)::int as n, code, wijk_code from buurten where municipality_code = '${municipality}'`);
    await q(
      'clusters',
      // A domain per cluster (a few domains are far commoner), a start date over two years.
      `create temp table cl as select i as n, 'c-bench' || lpad(i::text, 8, '0') as id,
         (${domains})[1 + floor(power(random(), 1.7) * ${defaultDomainKeys.length})::int] as domain,
         now() - random() * interval '730 days' as start
       from generate_series(1, ${clusters}) i`,
    );
    await q(
      'residents',
      `insert into residents (id, municipality_code, channel, channel_key_hash, language, age_band, role, wijk_code, buurt_code, created_at, last_seen_at)
       select md5('r' || i)::uuid, '${municipality}', case when i % 4 = 0 then 'web' else 'whatsapp' end, md5('k' || i),
         case when i % 12 = 0 then 'en' when i % 29 = 0 then 'tr' else 'nl' end,
         case when i % 9 = 0 then null else (array['0_15','15_25','25_45','45_65','65_plus'])[1 + floor(power(random(), 0.8) * 5)::int] end,
         (array['resident','resident','resident','client','client','carer'])[1 + (i * 7) % 6],
         bb.wijk_code, bb.code, now() - interval '800 days', now()
       from (select i, case when i % 10 = 0 then 0 else 1 + floor(random() * (select count(*) from bb))::int end as b from generate_series(1, ${residents}) i) g
       left join bb on bb.n = g.b`,
    );
    await q(
      'street notes',
      `insert into street_notes (id, municipality_code, author_user_id, wijk_code, noted_on, age_band, resident_role, created_at)
       select md5('n' || i)::uuid, '${municipality}', (select id from users limit 1),
         (select wijk_code from bb where bb.n = 1 + (i % (select count(*) from bb))), current_date - (i % 700),
         (array['15_25','25_45','45_65','65_plus'])[1 + i % 4], (array['client','carer','resident'])[1 + i % 3], now() - (i % 700) * interval '1 day'
       from generate_series(0, ${Math.ceil(n / 250)}) i`,
    );
    await q(
      'signals',
      // 80% in a cluster (skewed: power of random() makes low numbers common), the rest loose; 2% street notes,
      // 1% imports, the others from a resident (who often told more than one thing).
      `insert into signals (id, municipality_code, reference, source, resident_id, status, text_redacted, language, domains,
         review, wijk_code, buurt_code, sentiment, urgent, cluster_id, received_at, processed_at)
       select md5('s' || g.i)::uuid, '${municipality}', 'WB-' || g.i,
         case when g.i % 50 = 0 then 'street' when g.i % 100 = 1 then 'import' when g.i % 4 = 0 then 'web' else 'whatsapp' end,
         case when g.i % 50 = 0 or g.i % 100 = 1 then null else md5('r' || (1 + floor(power(random(), 1.3) * ${residents})::int))::uuid end,
         'analysed', 'Signaal ' || g.i || ': de wachtlijst voor hulp is te lang en niemand belt terug.',
         case when g.i % 12 = 0 then 'en' else 'nl' end,
         jsonb_build_array(jsonb_build_object('key', coalesce(cl.domain, (${domains})[1 + floor(power(random(), 1.7) * ${defaultDomainKeys.length})::int]), 'confidence', 0.8))
           || case when g.i % 4 = 0 then jsonb_build_array(jsonb_build_object('key', (${domains})[1 + g.i % ${defaultDomainKeys.length}], 'confidence', 0.5)) else '[]'::jsonb end,
         g.i % 40 = 0, bb.wijk_code, bb.code, round((random() * 2 - 1)::numeric, 2)::real, g.i % 500 = 0, cl.id,
         case when cl.id is null then now() - random() * interval '730 days' else least(now(), cl.start + random() * interval '120 days') end,
         now()
       from (
         select i, case when i % 5 = 0 then null else 1 + floor(power(random(), 2.5) * ${clusters})::int end as c,
           case when i % 11 = 0 then 0 else 1 + floor(random() * (select count(*) from bb))::int end as b
         from generate_series(1, ${n}) i
       ) g
       left join cl on cl.n = g.c
       left join bb on bb.n = g.b`,
    );
    await q(
      'street note links',
      `insert into street_note_signals (street_note_id, signal_id, position)
       select md5('n' || (i / 250))::uuid, md5('s' || i)::uuid, (i / 50) % 5 from generate_series(50, ${n}, 50) i`,
    );
    await q(
      'cluster rows',
      `insert into clusters (id, municipality_code, domain_key, label, key_terms, centroid, signal_count, resident_count, first_seen_at, last_seen_at, trend, alert, updated_at)
       select cl.id, '${municipality}', cl.domain, 'wachtlijst hulp ' || cl.n, '["wachtlijst","hulp"]', '{"terms":{"wachtlijst":1},"words":{"wachtlijst":"wachtlijst"}}',
         k.n, k.r, k.f, k.l,
         case when k.f > now() - interval '7 days' then 'new' when k.l > now() - interval '7 days' then 'growing' when k.l > now() - interval '28 days' then 'stable' else 'fading' end,
         false, now()
       from cl join (
         select cluster_id, count(*)::int as n, (count(distinct resident_id) + count(*) filter (where resident_id is null))::int as r, min(received_at) as f, max(received_at) as l
         from signals where cluster_id is not null group by cluster_id
       ) k on k.cluster_id = cl.id`,
    );
    await q('analyze', 'analyze');
    const { rows } = await client.query<{ n: string }>('select count(*) as n from clusters');
    return { seconds: (performance.now() - started) / 1000, clusters: Number(rows[0]?.n ?? 0), residents };
  } finally {
    await client.end();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

export async function dashboardScaleBenchmarks(log: (m: string) => void): Promise<Record<string, unknown>[]> {
  const n = Number(process.env.BENCH_SIGNALS ?? 1_000_000);
  const repeats = Number(process.env.BENCH_DASHBOARD_REQUESTS ?? 30);
  const reuse = process.env.BENCH_DATABASE_URL;
  const created = reuse ? undefined : await createPostgresDatabase();
  const url = reuse ?? created?.url ?? '';
  const opened = await openDatabase({ databaseUrl: url, poolSize: 4 });
  const entries: Record<string, unknown>[] = [];
  const how = 'node --import tsx test/bench/dashboard-scale.ts (part of npm run bench); PostgreSQL, demo municipality';
  const queue = createInProcessQueue({ retry: { attempts: 1, backoffMs: 10 } });
  let server: ServerType | undefined;
  try {
    const { db } = opened;
    let signals = n;
    if (!reuse) {
      await importGazetteerFile(db, demoGazetteerPath, { demo: true });
      await createUser(db, { email, passwordHash: await hashPassword(password), role: 'council', municipalityCode: municipality });
      log(`dashboard: filling PostgreSQL with ${n} signals`);
      const filled = await fill(url, n, log);
      log(`dashboard: filled in ${r1(filled.seconds)} s (${filled.clusters} clusters, ${filled.residents} residents)`);
      entries.push({ name: 'dashboard.fill.seconds', unit: 's', value: r1(filled.seconds), n, clusters: filled.clusters, residents: filled.residents, how: `${how}; set-based inserts (generate_series), indexes and analyze included` });
    } else {
      const row = await db.selectFrom('signals').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      signals = Number(row.n);
      log(`dashboard: reusing ${reuse} with ${signals} signals`);
    }

    const app = createHttpApp({ db, queue, logger: createLogger('silent'), pseudonymKey: 'k'.repeat(32), defaultMunicipality: municipality, secure: false, serveApp: true, health: () => queue.health() });
    const login = await app.request(`${base}/dashboard/login`, { method: 'POST', body: new URLSearchParams({ email, password }), headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' } });
    if (login.status !== 303) throw new Error(`login: ${login.status}`);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');

    // A big cluster (the worst page) and a typical wijk, domain and quarter for the filters.
    const big = await db.selectFrom('clusters').select('id').orderBy('signal_count', 'desc').limit(1).executeTakeFirstOrThrow();
    const wijk = await db.selectFrom('signals').select('wijk_code').where('wijk_code', 'is not', null).groupBy('wijk_code').orderBy((eb) => eb.fn.countAll(), 'desc').limit(1).executeTakeFirstOrThrow();
    const to = new Date();
    const from = new Date(to.getTime() - 90 * 86_400_000);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const filters: Record<string, string> = {
      unfiltered: '',
      period: `?van=${day(from)}&tot=${day(to)}`,
      domain: '?domein=zorg',
      wijk: `?wijk=${wijk.wijk_code ?? ''}`,
    };
    const routes: Record<string, string> = { overview: '/dashboard', clusters: '/dashboard/clusters', cluster: `/dashboard/clusters/${big.id}`, map: '/dashboard/kaart' };
    for (const [route, path] of Object.entries(routes)) {
      for (const [filterName, query] of Object.entries(filters)) {
        const target = `${base}${path}${query}`;
        const times: number[] = [];
        for (let i = 0; i < repeats + 2; i++) {
          const t0 = performance.now();
          const response = await app.request(target, { headers: { cookie } });
          await response.text();
          if (response.status !== 200) throw new Error(`${path}${query}: ${response.status}`);
          if (i >= 2) times.push(performance.now() - t0); // two warm-up requests
        }
        times.sort((a, b) => a - b);
        const p50 = r1(percentile(times, 0.5));
        const p95 = r1(percentile(times, 0.95));
        log(`  ${route} ${filterName}: p50 ${p50} ms, p95 ${p95} ms`);
        entries.push({ name: `dashboard.${route}.${filterName}.p95`, unit: 'ms', value: p95, p50, n: signals, requests: times.length, path: `${path}${query}`, how: `${how}; in-process app.request as a logged-in council member, sequential, after 2 warm-up requests` });
      }
    }

    if (chromiumPath) {
      server = await new Promise<ServerType>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
      try {
        const context = await browser.newContext();
        const page = await context.newPage();
        // At a million signals on a loaded machine a page can take longer than playwright's 30 s default.
        page.setDefaultTimeout(180_000);
        await page.goto(`${origin}/dashboard/login`);
        await page.getByLabel('E-mailadres').fill(email);
        await page.getByLabel('Wachtwoord').fill(password);
        await page.getByRole('button', { name: 'Inloggen' }).click();
        await page.waitForURL(`${origin}/dashboard`);
        for (const [name, path] of [
          ['overview', '/dashboard'],
          ['clusters', '/dashboard/clusters'],
        ] as const) {
          const times: number[] = [];
          for (let i = 0; i < 7; i++) {
            await page.goto(`${origin}${path}`, { waitUntil: 'load' });
            const load = Number(await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"));
            if (i >= 2) times.push(load);
          }
          times.sort((a, b) => a - b);
          log(`  first render ${name}: median ${r1(percentile(times, 0.5))} ms, max ${r1(times.at(-1) ?? 0)} ms`);
          entries.push({ name: `dashboard.first_render.${name}`, unit: 'ms', value: r1(percentile(times, 0.5)), max: r1(times.at(-1) ?? 0), n: signals, loads: times.length, how: `${how}; chromium (playwright-core), navigation timing loadEventEnd, median of 5 loads after 2 warm-ups` });
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    await queue.close();
    await opened.close();
    if (created) {
      if (process.env.BENCH_KEEP_DB === '1') log(`dashboard: kept ${created.url}`);
      else await created.drop();
    }
  }
  return entries;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const entries = await dashboardScaleBenchmarks((m) => process.stderr.write(`${m}\n`));
  process.stdout.write(`${JSON.stringify({ benchmarks: entries }, null, 2)}\n`);
}
