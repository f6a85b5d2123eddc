/**
 * Live clusters (issue 4, step 6): the worker assigns each analysed signal to a cluster in the transaction that
 * stores its analysis. The pure part (vectors, similarity, label, trend) is pipeline/clusters/model.ts.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Cluster, ClusterCentroid, Database } from '../database.ts';
import {
  chooseCluster,
  clusterLabel,
  clusterTrend,
  joinCentroid,
  keyTerms,
  MERGE_THRESHOLD,
  planMerges,
  representativeIds,
  signalVector,
  type Idf,
} from '../../pipeline/clusters/model.ts';

type Db = Kysely<Database> | Transaction<Database>;

const day = 24 * 60 * 60 * 1000;

export interface ClusterAssignmentOptions {
  /** The clock, for trends (tests pass one). */
  now?: Date;
  idf?: Idf;
  /** Candidate clusters compared: the most recently active of the group. */
  candidateLimit?: number;
  /** A cluster with no signal for this many days is closed: a new signal about it starts a new cluster. */
  openDays?: number;
}

// No 0/O, 1/I/L, lower case: an id is read aloud and typed.
const idAlphabet = '23456789abcdefghjkmnpqrstuvwxyz';

export function newClusterId(): string {
  return `c-${[...randomBytes(10)].map((b) => idAlphabet.charAt(b % idAlphabet.length)).join('')}`;
}

/**
 * Assigns an analysed signal to the most similar open cluster of its municipality and primary domain, or starts a
 * new one, and brings the cluster's centroid, label, key terms, counts and trend up to date. Call it inside the
 * transaction that stored the analysis. Idempotent: a signal that already has a cluster keeps it and counts once.
 * Safe under concurrent workers: a transaction-scoped advisory lock per municipality and domain serialises the
 * assignments that could pick the same cluster. Returns the cluster id, or null when the text has no words to compare.
 */
export async function assignSignalToCluster(
  trx: Transaction<Database>,
  input: { signalId: string; municipalityCode: string; domainKey: string; textRedacted: string; place: string | null },
  options: ClusterAssignmentOptions = {},
): Promise<string | null> {
  const now = options.now ?? new Date();
  await lockClusterGroup(trx, input.municipalityCode, input.domainKey);
  const v = signalVector(input.textRedacted, input.place, options.idf);
  if (v.size === 0) return null;

  const candidates = await trx
    .selectFrom('clusters')
    .select(['id', 'centroid'])
    .where('municipality_code', '=', input.municipalityCode)
    .where('domain_key', '=', input.domainKey)
    .where('last_seen_at', '>', new Date(now.getTime() - (options.openDays ?? 90) * day))
    // Only clusters sharing a term with the signal can reach the threshold: the rest are not worth loading.
    .where(sql<boolean>`(centroid -> 'terms') ?| ${[...v.keys()]}::text[]`)
    .orderBy('last_seen_at', 'desc')
    .orderBy('id')
    .limit(options.candidateLimit ?? 200)
    .execute();
  const chosen = chooseCluster(v, candidates);
  const id = chosen?.id ?? newClusterId();
  const centroid = joinCentroid(chosen?.centroid ?? { terms: {}, words: {} }, v, input.textRedacted);

  // The guard: a signal that already has a cluster keeps it (a retry, a second call), and nothing is counted again.
  const linked = await trx.updateTable('signals').set({ cluster_id: id }).where('id', '=', input.signalId).where('cluster_id', 'is', null).executeTakeFirst();
  if (linked.numUpdatedRows === 0n) {
    const signal = await trx.selectFrom('signals').select('cluster_id').where('id', '=', input.signalId).executeTakeFirst();
    return signal?.cluster_id ?? null;
  }
  const row = await clusterRow(trx, id, centroid, now);
  if (chosen) await trx.updateTable('clusters').set(row).where('id', '=', id).execute();
  else await trx.insertInto('clusters').values({ id, municipality_code: input.municipalityCode, domain_key: input.domainKey, ...row }).execute();
  return id;
}

/**
 * Serialises, per municipality and domain, everything that changes which clusters exist or what they hold: the
 * worker's assignments and the re-clustering. Released at commit or rollback.
 */
async function lockClusterGroup(trx: Transaction<Database>, municipalityCode: string, domainKey: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`clusters|${municipalityCode}|${domainKey}`}))`.execute(trx);
}

/** The derived columns of a cluster row: label and key terms from the centroid, counts and trend from its signals. */
async function clusterRow(db: Db, id: string, centroid: ClusterCentroid, now: Date) {
  const counts = await clusterCounts(db, id, now);
  const { trend, alert } = clusterTrend(counts, now);
  return {
    label: clusterLabel(centroid),
    key_terms: JSON.stringify(keyTerms(centroid)),
    centroid: JSON.stringify(centroid),
    signal_count: counts.signals,
    resident_count: counts.residents,
    first_seen_at: counts.firstSeenAt,
    last_seen_at: counts.lastSeenAt,
    trend,
    alert,
    updated_at: now,
  };
}

/**
 * Periodic re-clustering of one municipality: within each domain, open clusters whose centroids grew alike
 * (planMerges) are merged into the biggest; their signals move over and the merged-away rows are deleted. Under the
 * same lock as the worker's assignments, one domain per transaction. Clusters left without signals (all erased on
 * request) are deleted, and the counts and trend of the others brought up to date. Returns the merges done. Splits
 * are not done.
 */
export async function mergeSimilarClusters(
  db: Kysely<Database>,
  municipalityCode: string,
  options: { now?: Date; threshold?: number; openDays?: number; limit?: number; domainKey?: string } = {},
): Promise<{ into: string; from: string[] }[]> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.openDays ?? 90) * day);
  const domains = options.domainKey
    ? [{ domain_key: options.domainKey }]
    : await db
        .selectFrom('clusters')
        .select('domain_key')
        .distinct()
        .where('municipality_code', '=', municipalityCode)
        .orderBy('domain_key')
        .execute();
  const done: { into: string; from: string[] }[] = [];
  for (const { domain_key: domainKey } of domains) {
    const merges = await db.transaction().execute(async (trx) => {
      await lockClusterGroup(trx, municipalityCode, domainKey);
      // Clusters whose every signal was erased on request: nothing of them may stay (their label came from those texts).
      await trx
        .deleteFrom('clusters')
        .where('municipality_code', '=', municipalityCode)
        .where('domain_key', '=', domainKey)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('signals').select('signals.id').whereRef('signals.cluster_id', '=', 'clusters.id'))))
        .execute();
      const rows = await trx
        .selectFrom('clusters')
        .select(['id', 'centroid', 'signal_count', 'first_seen_at'])
        .where('municipality_code', '=', municipalityCode)
        .where('domain_key', '=', domainKey)
        .where('last_seen_at', '>', since)
        .orderBy('last_seen_at', 'desc')
        .limit(options.limit ?? 1000)
        .execute();
      const planned = planMerges(
        rows.map((r) => ({ id: r.id, centroid: r.centroid, signalCount: r.signal_count, firstSeenAt: r.first_seen_at })),
        options.threshold ?? MERGE_THRESHOLD,
      );
      for (const merge of planned) {
        await trx.updateTable('signals').set({ cluster_id: merge.into }).where('cluster_id', 'in', merge.from).execute();
        await trx.deleteFrom('clusters').where('id', 'in', merge.from).execute();
        await trx.updateTable('clusters').set(await clusterRow(trx, merge.into, merge.centroid, now)).where('id', '=', merge.into).execute();
      }
      // Counts and trend of the rest as of now: a quiet cluster fades without a new signal, an erased signal stops counting.
      const merged = new Set(planned.flatMap((m) => [m.into, ...m.from]));
      const rest = rows.filter((r) => !merged.has(r.id)).map((r) => r.id);
      for (const [id, c] of await countsByCluster(trx, rest, now)) {
        await trx
          .updateTable('clusters')
          .set({ signal_count: c.signals, resident_count: c.residents, first_seen_at: c.firstSeenAt, last_seen_at: c.lastSeenAt, ...clusterTrend(c, now), updated_at: now })
          .where('id', '=', id)
          .execute();
      }
      return planned;
    });
    done.push(...merges.map((m) => ({ into: m.into, from: m.from })));
  }
  return done;
}

interface ClusterCounts {
  signals: number;
  residents: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  last7: number;
  prior21: number;
}

/** Counts from the member signals themselves, so a retry, a race or an erased signal cannot drift them. */
async function clusterCounts(db: Db, clusterId: string, now: Date): Promise<ClusterCounts> {
  const counts = (await countsByCluster(db, [clusterId], now)).get(clusterId);
  if (!counts) throw new Error(`cluster ${clusterId} has no signals`);
  return counts;
}

async function countsByCluster(db: Db, clusterIds: readonly string[], now: Date): Promise<Map<string, ClusterCounts>> {
  if (clusterIds.length === 0) return new Map();
  const week = new Date(now.getTime() - 7 * day);
  const month = new Date(now.getTime() - 28 * day);
  const rows = await db
    .selectFrom('signals')
    .select((eb) => [
      'cluster_id',
      eb.fn.countAll<string>().as('signals'),
      sql<string>`count(distinct resident_id) + count(*) filter (where resident_id is null)`.as('residents'),
      eb.fn.min('received_at').as('first'),
      eb.fn.max('received_at').as('last'),
      sql<string>`count(*) filter (where received_at > ${week})`.as('last7'),
      sql<string>`count(*) filter (where received_at > ${month} and received_at <= ${week})`.as('prior21'),
    ])
    .where('cluster_id', 'in', clusterIds)
    .groupBy('cluster_id')
    .execute();
  return new Map(
    rows.map((row) => [
      row.cluster_id ?? '',
      {
        signals: Number(row.signals),
        residents: Number(row.residents),
        firstSeenAt: new Date(row.first),
        lastSeenAt: new Date(row.last),
        last7: Number(row.last7),
        prior21: Number(row.prior21),
      },
    ]),
  );
}

export async function getCluster(db: Db, id: string): Promise<Cluster | undefined> {
  return db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The clusters of a municipality, most recently active first, with counts, trend and alert as of `now`: a quiet
 * week fades a cluster, and a signal erased on request no longer counts (a cluster left empty is not listed).
 */
export async function listClusters(db: Db, municipalityCode: string, options: { domainKey?: string; now?: Date; limit?: number } = {}): Promise<Cluster[]> {
  const now = options.now ?? new Date();
  let query = db.selectFrom('clusters').selectAll().where('municipality_code', '=', municipalityCode);
  if (options.domainKey) query = query.where('domain_key', '=', options.domainKey);
  const rows = await query.orderBy('last_seen_at', 'desc').orderBy('id').limit(options.limit ?? 100).execute();
  const counts = await countsByCluster(
    db,
    rows.map((r) => r.id),
    now,
  );
  return rows.flatMap((r) => {
    const c = counts.get(r.id);
    if (!c) return [];
    return [{ ...r, signal_count: c.signals, resident_count: c.residents, first_seen_at: c.firstSeenAt, last_seen_at: c.lastSeenAt, ...clusterTrend(c, now) }];
  });
}

/** Up to `count` representative quotes: the redacted text of the members closest to the centroid, as stored. */
export async function clusterQuotes(db: Db, clusterId: string, count = 3): Promise<{ id: string; text_redacted: string }[]> {
  const cluster = await db.selectFrom('clusters').select('centroid').where('id', '=', clusterId).executeTakeFirst();
  if (!cluster) return [];
  const members = await db
    .selectFrom('signals')
    .select(['id', 'text_redacted', 'buurt_code', 'wijk_code'])
    .where('cluster_id', '=', clusterId)
    .where('text_redacted', 'is not', null)
    .orderBy('received_at', 'desc')
    .limit(500)
    .execute();
  const texts = new Map(members.map((m) => [m.id, m.text_redacted ?? '']));
  const centroid: ClusterCentroid = cluster.centroid;
  const ids = representativeIds(
    centroid,
    members.map((m) => ({ id: m.id, text: m.text_redacted ?? '', place: m.buurt_code ?? m.wijk_code })),
    count,
  );
  return ids.map((id) => ({ id, text_redacted: texts.get(id) ?? '' }));
}
