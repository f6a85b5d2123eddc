/**
 * The live pipeline's cost per signal, analysis plus cluster assignment, straight through the 'signal.received'
 * handler (no queue): `node --import tsx test/bench/live-clusters.ts [postgres|pglite] [concurrency] [signals]`.
 * Needs DATABASE_URL for postgres; works on a fresh database it drops afterwards. One JSON line on stdout.
 */
import { createLogger } from '../../app/logger.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { insertSignal } from '../../db/repositories/signals.ts';
import { AnalyserCache } from '../../pipeline/analysis/context.ts';
import { evaluationDir, readJsonl, type DevExample } from '../../pipeline/evaluation/evaluate.ts';
import { createJobHandlers } from '../../pipeline/workers/handlers.ts';
import { openTestDatabase } from '../support/databases.ts';

const kind = process.argv[2] === 'pglite' ? 'pglite' : 'postgres';
const concurrency = Number(process.argv[3] ?? 4);
const n = Number(process.argv[4] ?? 2000);
const tdb = await openTestDatabase(kind);
try {
  await importGazetteerFile(tdb.db, demoGazetteerPath, { demo: true });
  const dev = readJsonl<DevExample>(`${evaluationDir}/dev.jsonl`);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = dev[i % dev.length];
    if (!d) throw new Error('empty dev set');
    const s = await insertSignal(tdb.db, { municipalityCode: 'GM0479', source: 'import', text: `${d.text} (${i})`, placeAnswer: d.place ?? null, postcodeAnswer: d.postcode ?? null });
    ids.push(s.id);
  }
  // As the worker starts: classifier, reference IDF and the municipality's analyser ready before the first job.
  const analysers = new AnalyserCache(tdb.db);
  await analysers.warm(['GM0479']);
  const handle = createJobHandlers({ db: tdb.db, logger: createLogger('silent'), analysers })['signal.received'];
  // Warm-up of the JIT and the connection pool, not timed.
  await handle({ signalId: ids[0] ?? '' }, { id: 'warm-up', attempt: 1 });
  let next = 1;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
        const start = performance.now();
        await handle({ signalId: id }, { id, attempt: 1 });
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const clusters = await tdb.db.selectFrom('clusters').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const at = (q: number) => Math.round((latencies[Math.floor(latencies.length * q)] ?? 0) * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({ database: kind, concurrency, signals: n - 1, per_second: Math.round((n - 1) / seconds), p50_ms: at(0.5), p95_ms: at(0.95), clusters: Number(clusters.n), rss_mb: Math.round(process.memoryUsage().rss / 1e6) })}\n`,
  );
} finally {
  await tdb.drop();
}
