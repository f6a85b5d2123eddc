/**
 * Erasure on request (DESIGN.md, privacy: "verwijder mijn gegevens"), for the bot and for an administrator acting on
 * a request made elsewhere. Removes the resident everywhere in one transaction (the caller's):
 * - their signals, with the redacted text and the analysis: redaction is rules, not a guarantee, and a story can
 *   identify its teller by what it tells, so nothing they told is kept, not even unlinked (reviews go with them);
 * - their messages and conversations, and their answers to flash polls (an open answer is a signal, above);
 * - their profile answers, consent and (unless the bot still has to send the confirmation) their number;
 * - the clusters their signals were in: counts, centroid, label and key terms recomputed from the signals left, and a
 *   cluster left empty deleted (its label came from the erased texts);
 * - queued work: job payloads hold ids only, so a signal or message job finds nothing and skips; a reply stored
 *   concurrently is refused at send time (wasErasedAfter, pipeline/workers/send.ts).
 * Exports read the signals table, so they no longer contain any of it. The audit log keeps that an erasure happened
 * (ids and counts, no content). The pseudonymous row stays, marked erased_at, until retention removes it a day later.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ClusterCentroid, Database } from '../database.ts';
import { clusterLabel, clusterTrend, joinCentroid, keyTerms, signalVector } from '../../pipeline/clusters/model.ts';

export interface ErasureCounts {
  signals: number;
  messages: number;
  conversations: number;
  pollAnswers: number;
  clustersRecomputed: number;
  clustersDeleted: number;
}

const day = 24 * 60 * 60 * 1000;

export async function eraseResident(trx: Transaction<Database>, residentId: string, options: { keepContact: boolean; now?: Date }): Promise<ErasureCounts> {
  const now = options.now ?? new Date();
  await trx.selectFrom('residents').select('id').where('id', '=', residentId).forUpdate().execute();
  const touched = await trx
    .selectFrom('signals as s')
    .innerJoin('clusters as c', 'c.id', 's.cluster_id')
    .select(['c.id', 'c.municipality_code', 'c.domain_key'])
    .distinct()
    .where('s.resident_id', '=', residentId)
    .execute();

  // Rows first, cluster locks after: the worker locks its signal row before the cluster group, so this order never deadlocks.
  const signals = await trx.deleteFrom('signals').where('resident_id', '=', residentId).executeTakeFirst();
  const messages = await trx.deleteFrom('messages').where('resident_id', '=', residentId).executeTakeFirst();
  const conversations = await trx.deleteFrom('conversations').where('resident_id', '=', residentId).executeTakeFirst();
  // Poll deliveries stay, like feedback deliveries: they only say a poll went out, and keep it from going out twice.
  const pollAnswers = await trx.deleteFrom('poll_answers').where('resident_id', '=', residentId).executeTakeFirst();
  await trx
    .updateTable('residents')
    .set({
      language: null,
      age_band: null,
      role: null,
      wijk_code: null,
      buurt_code: null,
      wants_feedback: false,
      may_invite: false,
      consent_at: null,
      ...(options.keepContact ? {} : { contact: null }),
      // The clock, not the transaction's start: a reply stored by a transaction that began before this one ends is older.
      erased_at: sql<Date>`clock_timestamp()`,
    })
    .where('id', '=', residentId)
    .execute();

  let clustersRecomputed = 0;
  let clustersDeleted = 0;
  const groups = [...new Set(touched.map((t) => `clusters|${t.municipality_code}|${t.domain_key}`))].sort();
  for (const key of groups) await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
  for (const { id } of touched) {
    if (await recomputeCluster(trx, id, now)) clustersRecomputed++;
    else clustersDeleted++;
  }
  return {
    signals: Number(signals.numDeletedRows),
    messages: Number(messages.numDeletedRows),
    conversations: Number(conversations.numDeletedRows),
    pollAnswers: Number(pollAnswers.numDeletedRows),
    clustersRecomputed,
    clustersDeleted,
  };
}

/** Rebuilds a cluster from its remaining signals (as the worker built it, in order); false when none are left and it was deleted. */
async function recomputeCluster(trx: Transaction<Database>, clusterId: string, now: Date): Promise<boolean> {
  const members = await trx
    .selectFrom('signals')
    .select(['resident_id', 'text_redacted', 'wijk_code', 'buurt_code', 'received_at'])
    .where('cluster_id', '=', clusterId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  if (members.length === 0) {
    await trx.deleteFrom('clusters').where('id', '=', clusterId).execute();
    return false;
  }
  let centroid: ClusterCentroid = { terms: {}, words: {} };
  for (const m of members) {
    const text = m.text_redacted ?? '';
    centroid = joinCentroid(centroid, signalVector(text, m.buurt_code ?? m.wijk_code), text);
  }
  const residents = new Set(members.map((m) => m.resident_id).filter((r) => r !== null)).size + members.filter((m) => m.resident_id === null).length;
  const times = members.map((m) => new Date(m.received_at).getTime());
  const firstSeenAt = new Date(Math.min(...times));
  const last7 = times.filter((t) => t > now.getTime() - 7 * day).length;
  const prior21 = times.filter((t) => t > now.getTime() - 28 * day && t <= now.getTime() - 7 * day).length;
  await trx
    .updateTable('clusters')
    .set({
      label: clusterLabel(centroid),
      key_terms: JSON.stringify(keyTerms(centroid)),
      centroid: JSON.stringify(centroid),
      signal_count: members.length,
      resident_count: residents,
      first_seen_at: firstSeenAt,
      last_seen_at: new Date(Math.max(...times)),
      ...clusterTrend({ firstSeenAt, last7, prior21 }, now),
      updated_at: now,
    })
    .where('id', '=', clusterId)
    .execute();
  return true;
}

/**
 * Whether the resident was erased after this message was stored: then it must not be sent (a reply stored while
 * the erasure ran). The erasure's own confirmation is the caller's exception.
 */
export async function wasErasedAfter(db: Kysely<Database> | Transaction<Database>, residentId: string, storedAt: Date): Promise<boolean> {
  const row = await db.selectFrom('residents').select('erased_at').where('id', '=', residentId).executeTakeFirst();
  // A resident row gone entirely was erased (and removed by retention) too.
  if (!row) return true;
  return row.erased_at !== null && row.erased_at.getTime() >= new Date(storedAt).getTime();
}

/** A reply to an erased resident that may not be sent is removed, so no sweep queues it again. */
export async function discardMessageOfErasedResident(db: Kysely<Database> | Transaction<Database>, messageId: string): Promise<void> {
  await db.deleteFrom('messages').where('id', '=', messageId).where('status', '=', 'queued').execute();
}
