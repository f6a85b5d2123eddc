import { sql, type Kysely } from 'kysely';

/**
 * The dashboard at a million signals (issue 5, `npm run bench`: test/bench/dashboard-scale.ts). Its filters and
 * cluster views read signals by wijk, by life domain and by cluster; without these each of them read every signal
 * of the municipality.
 * - by wijk and date: the wijk filter and the map;
 * - by life domain: the domain filter (`domains @> '[{"key": …}]'`), a GIN index the containment test can use;
 * - a cluster's signals by date: the cluster page's signals and timeline, newest first, the counts per cluster, and
 *   the overview's new and growing clusters (a nested loop over the few clusters active in the last week).
 * The clusters table (one row per ~50 signals) is small enough to scan.
 */
const statements = [
  sql`create index if not exists signals_municipality_wijk_received on signals (municipality_code, wijk_code, received_at)`,
  sql`create index if not exists signals_domains on signals using gin (domains jsonb_path_ops)`,
  sql`create index if not exists signals_cluster_received on signals (cluster_id, received_at) where cluster_id is not null`,
  // Its first column is 0005's signals_cluster: one index fewer for the worker to keep.
  sql`drop index if exists signals_cluster`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists signals_cluster on signals (cluster_id) where cluster_id is not null`.execute(db);
  await sql`drop index if exists signals_cluster_received`.execute(db);
  await sql`drop index if exists signals_domains`.execute(db);
  await sql`drop index if exists signals_municipality_wijk_received`.execute(db);
}
