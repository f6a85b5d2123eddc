/**
 * Live clusters (issue 4, step 6): the worker assigns each analysed signal to a cluster in the transaction that
 * stores its analysis. The pure part (vectors, similarity, label, trend) is pipeline/clusters/model.ts.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Cluster, ClusterCentroid, Database, Signal } from '../database.ts';
import type { ClusterTrend } from '../tables/cluster.table.ts';
import { storeAnalysis, type SignalAnalysis } from './signals.ts';
import { filtered, person, residentsCounted } from './dashboard-stats.ts';
import {
  centroidOfMembers,
  chooseCluster,
  clusterLabel,
  clusterTrend,
  joinCentroid,
  keyTerms,
  MERGE_THRESHOLD,
  MIN_SPLIT_PART,
  planMerges,
  planSplit,
  representativeIds,
  signalVector,
  type Idf,
} from '../../pipeline/clusters/model.ts';
import type { TermVector } from '../../pipeline/steps/cluster.ts';

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

  const candidates = await candidateClusters(trx, input, v, now, options);
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

/** An analysed signal on its way to storage, with what clustering needs. */
export interface AnalysedSignal {
  signalId: string;
  municipalityCode: string;
  /** When the signal came in (signals.received_at): a new cluster's first date and trend. */
  receivedAt: Date;
  analysis: SignalAnalysis;
  /** The primary life domain, the group it is clustered in; null: not clustered (as in the batch). */
  domainKey: string | null;
  place: string | null;
}

/**
 * The live worker's write (issue 4): stores the analysis and assigns the cluster in as few round trips as it can.
 * Joining an existing cluster, by far the common case, is one statement after the candidates are read: it writes
 * only if the cluster row is still the version that was read (xmin) and it gets the group lock shared (joins do not
 * wait for each other; re-clustering, erasure and starting a cluster hold it exclusively), else it reads again.
 * Starting a new cluster takes the group lock exclusively and reads the candidates again under it, so concurrent
 * workers never start two clusters for one issue. Idempotent like storeAnalysis: only a signal still `new` is written, and its
 * analysis and cluster commit together. Returns whether it was stored and its cluster.
 */
export async function storeAnalysisAndCluster(
  db: Kysely<Database>,
  input: AnalysedSignal,
  options: ClusterAssignmentOptions = {},
): Promise<{ stored: boolean; clusterId: string | null }> {
  const now = options.now ?? new Date();
  const v = input.domainKey ? signalVector(input.analysis.textRedacted, input.place, options.idf) : new Map<string, number>();
  if (!input.domainKey || v.size === 0) return { stored: await storeAnalysis(db, input.signalId, input.analysis), clusterId: null };
  const group = { municipalityCode: input.municipalityCode, domainKey: input.domainKey };
  for (let attempt = 0; attempt < 50; attempt++) {
    const chosen = chooseCluster(v, await candidateClusters(db, group, v, now, options));
    const outcome = chosen
      ? await joinCluster(db, input, chosen, v, now)
      : await db.transaction().execute(async (trx) => {
          // The signal's row before the group, the order erasure (db/repositories/erasure.ts) takes them in.
          await sql`with r as (select id from signals where id = ${input.signalId} and status = 'new' for update)
            select pg_advisory_xact_lock(hashtext(${groupKey(group.municipalityCode, group.domainKey)})) from r`.execute(trx);
          // Another worker may have started this cluster while this one read: look again, under the lock.
          const again = chooseCluster(v, await candidateClusters(trx, group, v, now, options));
          return again ? joinCluster(trx, input, again, v, now) : startCluster(trx, input, v, now);
        });
    if (outcome !== 'changed') return outcome;
    // A re-clustering or an erasure holds the group for a moment: wait a little longer each time.
    if (attempt >= 2) await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * attempt)));
  }
  throw new Error(`cluster assignment of signal ${input.signalId} kept colliding with other workers; the job will retry`);
}

interface Candidate {
  id: string;
  centroid: ClusterCentroid;
  /** The row version (xmin) that was read: a join writes only onto this version. */
  version: string;
}

async function candidateClusters(
  db: Db,
  group: { municipalityCode: string; domainKey: string },
  v: ReadonlyMap<string, number>,
  now: Date,
  options: ClusterAssignmentOptions,
): Promise<Candidate[]> {
  return db
    .selectFrom('clusters')
    .select(['id', 'centroid', sql<string>`xmin::text`.as('version')])
    .where('municipality_code', '=', group.municipalityCode)
    .where('domain_key', '=', group.domainKey)
    .where('last_seen_at', '>', new Date(now.getTime() - (options.openDays ?? 90) * day))
    // Only clusters sharing a term with the signal can reach the threshold: the rest are not worth loading.
    .where(sql<boolean>`(centroid -> 'terms') ?| ${[...v.keys()]}::text[]`)
    .orderBy('last_seen_at', 'desc')
    .orderBy('id')
    .limit(options.candidateLimit ?? 200)
    .execute();
}

type Outcome = { stored: boolean; clusterId: string | null } | 'changed';

/** The analysis columns of a signal update, as SQL assignments. */
function analysisAssignments(a: SignalAnalysis, now: Date) {
  return sql`status = 'analysed', language = ${a.language}, text_redacted = ${a.textRedacted}, domains = ${JSON.stringify(a.domains)}::jsonb,
    review = ${a.review}, wijk_code = ${a.wijkCode}, buurt_code = ${a.buurtCode}, sentiment = ${a.sentiment}, urgent = ${a.urgent},
    processed_at = ${now}, error = null`;
}

/**
 * One statement: lock the signal if still new, count the cluster's members with it, update the cluster if its row is
 * the version read, and only then store the analysis with the cluster id. 'changed' when the cluster moved on.
 */
async function joinCluster(db: Db, input: AnalysedSignal, chosen: Candidate, v: TermVector, now: Date): Promise<Outcome> {
  const centroid = joinCentroid(chosen.centroid, v, input.analysis.textRedacted);
  const week = new Date(now.getTime() - 7 * day);
  const month = new Date(now.getTime() - 28 * day);
  const { rows } = await sql<{ fresh: number; stored: number; f: Date | null; last7: number | null; prior21: number | null; trend: ClusterTrend | null; alert: boolean | null }>`
    with sl as (
      select id, resident_id, received_at from signals where id = ${input.signalId} and status = 'new' for update
    ), m as (
      select resident_id, received_at from signals where cluster_id = ${chosen.id} and id <> ${input.signalId}
      union all select resident_id, received_at from sl
    ), k as (
      select count(*)::int as n, (count(distinct resident_id) + count(*) filter (where resident_id is null))::int as r,
        min(received_at) as f, max(received_at) as l,
        (count(*) filter (where received_at > ${week}))::int as last7,
        (count(*) filter (where received_at > ${month} and received_at <= ${week}))::int as prior21
      from m
    ), c as (
      update clusters set label = ${clusterLabel(centroid)}, key_terms = ${JSON.stringify(keyTerms(centroid))}::jsonb,
        centroid = ${JSON.stringify(centroid)}::jsonb, signal_count = k.n, resident_count = k.r, first_seen_at = k.f,
        last_seen_at = k.l, updated_at = ${now}
      from k
      where clusters.id = ${chosen.id} and clusters.xmin::text = ${chosen.version}
        -- Shared with other joins, never while a re-clustering or erasure holds the group; taken after the signal's row.
        and case when exists (select 1 from sl) then pg_try_advisory_xact_lock_shared(hashtext(${groupKey(input.municipalityCode, input.domainKey ?? '')})) else false end
      returning k.f, k.last7, k.prior21, clusters.trend, clusters.alert
    ), s as (
      update signals set ${analysisAssignments(input.analysis, now)}, cluster_id = ${chosen.id}
      where id in (select id from sl) and exists (select 1 from c)
      returning id
    )
    select (select count(*) from sl)::int as fresh, (select count(*) from s)::int as stored, c.* from (select 1) as one left join c on true
  `.execute(db);
  const row = rows[0];
  if (!row || row.fresh === 0) return { stored: false, clusterId: null };
  if (row.stored === 0 || row.f === null) return 'changed';
  const { trend, alert } = clusterTrend({ firstSeenAt: new Date(row.f), last7: row.last7 ?? 0, prior21: row.prior21 ?? 0 }, now);
  // Trends change seldom: a second statement only when this signal changed it.
  if (trend !== row.trend || alert !== row.alert) await db.updateTable('clusters').set({ trend, alert }).where('id', '=', chosen.id).execute();
  return { stored: true, clusterId: chosen.id };
}

/** One statement, under the group lock: a new cluster of this one signal, if the signal is still new. */
async function startCluster(db: Db, input: AnalysedSignal, v: TermVector, now: Date): Promise<Outcome> {
  const id = newClusterId();
  const centroid = joinCentroid({ terms: {}, words: {} }, v, input.analysis.textRedacted);
  const at = input.receivedAt;
  const recent = now.getTime() - at.getTime() < 7 * day;
  const prior = !recent && now.getTime() - at.getTime() < 28 * day;
  const { trend, alert } = clusterTrend({ firstSeenAt: at, last7: recent ? 1 : 0, prior21: prior ? 1 : 0 }, now);
  const { rows } = await sql<{ fresh: number; stored: number }>`
    with sl as (
      select id from signals where id = ${input.signalId} and status = 'new' for update
    ), s as (
      update signals set ${analysisAssignments(input.analysis, now)}, cluster_id = ${id}
      where id in (select id from sl)
      returning received_at
    ), c as (
      insert into clusters (id, municipality_code, domain_key, label, key_terms, centroid, signal_count, resident_count,
        first_seen_at, last_seen_at, trend, alert, updated_at)
      select ${id}, ${input.municipalityCode}, ${input.domainKey}, ${clusterLabel(centroid)}, ${JSON.stringify(keyTerms(centroid))}::jsonb,
        ${JSON.stringify(centroid)}::jsonb, 1, 1, s.received_at, s.received_at, ${trend}, ${alert}, ${now}
      from s
      returning id
    )
    select (select count(*) from sl)::int as fresh, (select count(*) from c)::int as stored
  `.execute(db);
  const row = rows[0];
  return row && row.stored > 0 ? { stored: true, clusterId: id } : { stored: false, clusterId: null };
}

/**
 * Serialises, per municipality and domain, everything that changes which clusters exist or what they hold: the
 * worker's assignments and the re-clustering. Released at commit or rollback.
 */
async function lockClusterGroup(trx: Transaction<Database>, municipalityCode: string, domainKey: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${groupKey(municipalityCode, domainKey)}))`.execute(trx);
}

/** The advisory lock key of a municipality's clusters of one domain (erasure.ts spells it the same). */
function groupKey(municipalityCode: string, domainKey: string): string {
  return `clusters|${municipalityCode}|${domainKey}`;
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
 * are splitMixedClusters' job, run after this one.
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
        // Delete before moving: the worker joins clusters without this lock, only onto the row version it read, so a
        // join racing this merge either fails on the deleted row and reads again, or commits first and is moved here.
        await trx.deleteFrom('clusters').where('id', 'in', merge.from).execute();
        await trx.updateTable('signals').set({ cluster_id: merge.into }).where('cluster_id', 'in', merge.from).execute();
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

/**
 * The other half of re-clustering: an open cluster that grew two distinct issues (planSplit) is split. The bigger
 * half keeps the cluster's id; the other half's signals move to a new cluster. Under the group lock, one domain per
 * transaction; labels, key terms, centroids and counts of both come from their members. Returns the splits done.
 */
export async function splitMixedClusters(
  db: Kysely<Database>,
  municipalityCode: string,
  options: { now?: Date; openDays?: number; limit?: number; domainKey?: string; idf?: Idf } = {},
): Promise<{ from: string; into: string; moved: number }[]> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.openDays ?? 90) * day);
  const domains = options.domainKey
    ? [{ domain_key: options.domainKey }]
    : await db.selectFrom('clusters').select('domain_key').distinct().where('municipality_code', '=', municipalityCode).orderBy('domain_key').execute();
  const done: { from: string; into: string; moved: number }[] = [];
  for (const { domain_key: domainKey } of domains) {
    const splits = await db.transaction().execute(async (trx) => {
      await lockClusterGroup(trx, municipalityCode, domainKey);
      const clusters = await trx
        .selectFrom('clusters')
        .select('id')
        .where('municipality_code', '=', municipalityCode)
        .where('domain_key', '=', domainKey)
        .where('last_seen_at', '>', since)
        .where('signal_count', '>=', 2 * MIN_SPLIT_PART)
        .orderBy('signal_count', 'desc')
        .orderBy('id')
        .limit(options.limit ?? 200)
        .execute();
      const made: { from: string; into: string; moved: number }[] = [];
      for (const { id } of clusters) {
        const rows = await trx
          .selectFrom('signals')
          .select(['id', 'text_redacted', 'buurt_code', 'wijk_code'])
          .where('cluster_id', '=', id)
          .where('text_redacted', 'is not', null)
          .execute();
        const members = rows.map((r) => ({ id: r.id, text: r.text_redacted ?? '', place: r.buurt_code ?? r.wijk_code }));
        const plan = planSplit(members, { idf: options.idf });
        if (!plan) continue;
        const [keep, move] = plan;
        const into = newClusterId();
        await trx.updateTable('signals').set({ cluster_id: into }).where('id', 'in', move).execute();
        const part = (ids: readonly string[]) => centroidOfMembers(members.filter((m) => ids.includes(m.id)), options.idf);
        await trx.insertInto('clusters').values({ id: into, municipality_code: municipalityCode, domain_key: domainKey, ...(await clusterRow(trx, into, part(move), now)) }).execute();
        await trx.updateTable('clusters').set(await clusterRow(trx, id, part(keep), now)).where('id', '=', id).execute();
        made.push({ from: id, into, moved: move.length });
      }
      return made;
    });
    done.push(...splits);
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
    // One array parameter: a list of thousands of ids plans and binds slowly.
    .where(sql<boolean>`cluster_id = any(${[...clusterIds]}::text[])`)
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

// ---- the dashboard's cluster views (issue 5): figures under the dashboard filters ----

/** A cluster as the dashboard shows it: its figures over the signals that match the filter. */
export interface ClusterSummary {
  id: string;
  municipality_code: string;
  label: string;
  domain_key: string;
  key_terms: string[];
  /** Signals and distinct residents under the filter. */
  signals: number;
  residents: number;
  /** Distinct residents who use care or support (client) and informal carers, under the filter. */
  clients: number;
  carers: number;
  /** Mean sentiment (−1..1) of the analysed signals under the filter; null when none has one. */
  sentiment: number | null;
  /** Trend and alert of the whole cluster as of now (not of the filtered part). */
  trend: Cluster['trend'];
  alert: boolean;
  first_seen_at: Date;
  last_seen_at: Date;
  /** Life domains of its signals: the cluster's own first, then most signals first. */
  domains: { key: string; signals: number }[];
  /** Where its residents live (the resident's wijk, else the street note's, else the signal's), most residents first. */
  wijken: { code: string; signals: number; residents: number }[];
}

type ClusterFilter = Parameters<typeof filtered>[2];

/** Distinct residents of one role (the resident's answer, else the street note's), as residentsCounted counts them. */
const roleCounted = (role: 'client' | 'carer') =>
  sql<string>`(count(distinct s.resident_id) filter (where coalesce(r.role, sn.resident_role) = ${role}) + count(*) filter (where s.resident_id is null and coalesce(r.role, sn.resident_role) = ${role}))`;

/**
 * The clusters of these municipalities with signals under the filter, new and growing first, then by residents.
 * Small groups are not removed here: the caller suppresses (dashboards/suppression.ts) and says how many it withheld.
 */
export async function listClusterSummaries(
  db: Db,
  municipalityCodes: readonly string[],
  filter: ClusterFilter,
  options: {
    now?: Date;
    clusterId?: string;
    activeWithinDays?: number;
    /**
     * Which clusters get trend, domains and wijken counted (the rest keep the stored trend and get none): the
     * caller passes its suppression rule, so the long tail of small clusters costs no more than one count.
     */
    detailed?: (residents: number) => boolean;
  } = {},
): Promise<ClusterSummary[]> {
  const now = options.now ?? new Date();
  const activeSince = options.activeWithinDays === undefined ? undefined : new Date(now.getTime() - options.activeWithinDays * day);
  const base = () => {
    let query = filtered(db, municipalityCodes, filter).where('s.cluster_id', 'is not', null);
    if (options.clusterId !== undefined) query = query.where('s.cluster_id', '=', options.clusterId);
    // Only clusters with a signal in the window (the overview's new and growing ones need one in the last week).
    if (activeSince !== undefined) {
      query = query.where('s.cluster_id', 'in', (eb) => eb.selectFrom('clusters').select('clusters.id').where('clusters.last_seen_at', '>', activeSince));
    }
    return query;
  };
  const rows = await base()
    .innerJoin('clusters as c', 'c.id', 's.cluster_id')
    .select([
      'c.id',
      'c.municipality_code',
      'c.label',
      'c.domain_key',
      'c.key_terms',
      'c.trend',
      'c.alert',
      'c.first_seen_at',
      'c.last_seen_at',
      sql<string>`count(*)`.as('signals'),
      residentsCounted.as('residents'),
      roleCounted('client').as('clients'),
      roleCounted('carer').as('carers'),
      sql<number | null>`avg(s.sentiment)::float8`.as('sentiment'),
      // The whole cluster's dates and recent counts, for the trend; valid as such only when no filter narrows.
      sql<Date>`min(s.received_at)`.as('first'),
      sql<Date>`max(s.received_at)`.as('last'),
      sql<string>`count(*) filter (where s.received_at > ${new Date(now.getTime() - 7 * day)})`.as('last7'),
      sql<string>`count(*) filter (where s.received_at > ${new Date(now.getTime() - 28 * day)} and s.received_at <= ${new Date(now.getTime() - 7 * day)})`.as('prior21'),
    ])
    .groupBy('c.id')
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.filter((r) => options.detailed?.(Number(r.residents)) ?? true).map((r) => r.id);
  // Without a filter the rows above are every signal of each cluster (a cluster's signals are all of its
  // municipality), so its counts are already here: no second pass over a million signals.
  const unfiltered = Object.values(filter).every((v) => v === undefined);
  // One array parameter, not one per id: a municipality can have more clusters than PostgreSQL has parameters.
  const detailedBase = () => base().where(sql<boolean>`s.cluster_id = any(${ids}::text[])`);
  const countBatches = async () => {
    const merged = new Map<string, ClusterCounts>();
    if (unfiltered) {
      const wanted = new Set(ids);
      for (const r of rows) {
        if (!wanted.has(r.id)) continue;
        merged.set(r.id, { signals: Number(r.signals), residents: Number(r.residents), firstSeenAt: new Date(r.first), lastSeenAt: new Date(r.last), last7: Number(r.last7), prior21: Number(r.prior21) });
      }
      return merged;
    }
    for (let i = 0; i < ids.length; i += 5000) for (const [id, c] of await countsByCluster(db, ids.slice(i, i + 5000), now)) merged.set(id, c);
    return merged;
  };
  // Independent queries: on PostgreSQL they run on separate pool connections at once.
  const [counts, domainRows, wijkRows] = await Promise.all([
    countBatches(),
    ids.length === 0
      ? []
      : db
          .selectFrom(detailedBase().select(['s.cluster_id as cluster', sql<string>`jsonb_array_elements(s.domains) ->> 'key'`.as('domain')]).as('d'))
          .select(['d.cluster', 'd.domain', sql<string>`count(*)`.as('signals')])
          .groupBy(['d.cluster', 'd.domain'])
          .execute(),
    ids.length === 0
      ? []
      : detailedBase()
          .select([
            's.cluster_id as cluster',
            sql<string | null>`coalesce(r.wijk_code, sn.wijk_code, s.wijk_code)`.as('wijk'),
            sql<string>`count(*)`.as('signals'),
            residentsCounted.as('residents'),
          ])
          .groupBy(sql`1, 2`)
          .execute(),
  ]);
  const byCluster = <T extends { cluster: string | null }>(list: T[]) => {
    const map = new Map<string, T[]>();
    for (const row of list) {
      const key = row.cluster ?? '';
      const group = map.get(key);
      if (group) group.push(row);
      else map.set(key, [row]);
    }
    return map;
  };
  const domains = byCluster(domainRows);
  const wijken = byCluster(wijkRows);
  const summaries = rows.map((r): ClusterSummary => {
    const c = counts.get(r.id);
    // Not detailed: the stored trend (kept by the worker and the hourly re-clustering) is good enough.
    const { trend, alert } = c ? clusterTrend(c, now) : { trend: r.trend, alert: r.alert };
    return {
      id: r.id,
      municipality_code: r.municipality_code,
      label: r.label,
      domain_key: r.domain_key,
      key_terms: r.key_terms,
      signals: Number(r.signals),
      residents: Number(r.residents),
      clients: Number(r.clients),
      carers: Number(r.carers),
      sentiment: r.sentiment,
      trend,
      alert,
      first_seen_at: c?.firstSeenAt ?? r.first_seen_at,
      last_seen_at: c?.lastSeenAt ?? r.last_seen_at,
      domains: (domains.get(r.id) ?? [])
        .map((d) => ({ key: d.domain, signals: Number(d.signals) }))
        .sort((a, b) => Number(b.key === r.domain_key) - Number(a.key === r.domain_key) || b.signals - a.signals || a.key.localeCompare(b.key)),
      wijken: (wijken.get(r.id) ?? [])
        .map((w) => ({ code: w.wijk ?? '', signals: Number(w.signals), residents: Number(w.residents) }))
        .sort((a, b) => b.residents - a.residents || b.signals - a.signals || a.code.localeCompare(b.code)),
    };
  });
  const rising = (s: ClusterSummary) => (s.trend === 'new' || s.trend === 'growing' ? 0 : 1);
  return summaries.sort((a, b) => rising(a) - rising(b) || b.residents - a.residents || b.last_seen_at.getTime() - a.last_seen_at.getTime() || a.id.localeCompare(b.id));
}

/** A cluster's signals per week (Monday, YYYY-MM-DD, Europe/Amsterdam) under the filter, oldest first. */
export async function clusterTimeline(db: Db, clusterId: string, municipalityCodes: readonly string[], filter: ClusterFilter): Promise<{ key: string; signals: number; residents: number }[]> {
  const rows = await filtered(db, municipalityCodes, filter)
    .where('s.cluster_id', '=', clusterId)
    .select([
      sql<string>`to_char(date_trunc('week', s.received_at at time zone 'Europe/Amsterdam'), 'YYYY-MM-DD')`.as('key'),
      sql<string>`count(*)`.as('signals'),
      residentsCounted.as('residents'),
    ])
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
  return rows.map((r) => ({ key: r.key, signals: Number(r.signals), residents: Number(r.residents) }));
}

export interface ClusterSignal {
  id: string;
  reference: string;
  municipality_code: string;
  source: Signal['source'];
  received_at: Date;
  language: string | null;
  text_redacted: string;
}

/** A cluster's analysed signals under the filter, newest first: the redacted text as stored, never the raw text. */
export async function clusterSignals(db: Db, clusterId: string, municipalityCodes: readonly string[], filter: ClusterFilter, limit = 500): Promise<ClusterSignal[]> {
  const rows = await filtered(db, municipalityCodes, filter)
    .where('s.cluster_id', '=', clusterId)
    .where('s.text_redacted', 'is not', null)
    .select(['s.id', 's.reference', 's.municipality_code', 's.source', 's.received_at', 's.language', 's.text_redacted'])
    .orderBy('s.received_at', 'desc')
    .orderBy('s.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, text_redacted: r.text_redacted ?? '' }));
}

export interface ExportSignalRow {
  id: string;
  reference: string;
  municipality_code: string;
  source: Signal['source'];
  received_at: Date;
  language: string | null;
  domains: Signal['domains'];
  wijk_code: string | null;
  cluster_id: string | null;
  sentiment: number | null;
  urgent: boolean;
  text_redacted: string;
  /** Who it counts for (a resident id, or the signal's own), for the caller's suppression; never exported. */
  person: string;
}

/** The analysed signals under the filter, oldest first, for the dashboard's export: redacted text only. */
export async function signalsForExport(db: Db, municipalityCodes: readonly string[], filter: ClusterFilter, limit = 50_000): Promise<ExportSignalRow[]> {
  const rows = await filtered(db, municipalityCodes, filter)
    .where('s.text_redacted', 'is not', null)
    .select(['s.id', 's.reference', 's.municipality_code', 's.source', 's.received_at', 's.language', 's.domains', 's.wijk_code', 's.cluster_id', 's.sentiment', 's.urgent', 's.text_redacted', person.as('person')])
    .orderBy('s.received_at')
    .orderBy('s.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, text_redacted: r.text_redacted ?? '' }));
}
