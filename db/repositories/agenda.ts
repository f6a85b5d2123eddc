/**
 * The participation agenda: items made from clusters, status changes with their history, notes, and the admin's
 * public-summary switch. Every read and write is scoped to a municipality: an id of another municipality is simply
 * not found, so the pages answer 404.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AgendaEvent, AgendaItem, AgendaItemCluster, AgendaStatus, Database } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewAgendaItemInput {
  municipalityCode: string;
  title: string;
  description: string;
  clusterIds: readonly string[];
  userId: string;
}

/** The clusters of the municipality among `ids` (others are ignored), with what the item keeps of them. */
export async function clustersOfMunicipality(db: Db, municipalityCode: string, ids: readonly string[]): Promise<{ id: string; label: string; domain_key: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('clusters').select(['id', 'label', 'domain_key']).where('municipality_code', '=', municipalityCode).where('id', 'in', ids).execute();
}

export async function createAgendaItem(db: Kysely<Database>, input: NewAgendaItemInput, clusters: readonly { id: string; label: string; domain_key: string }[]): Promise<AgendaItem> {
  return db.transaction().execute(async (trx) => {
    const item = await trx
      .insertInto('agenda_items')
      .values({ id: randomUUID(), municipality_code: input.municipalityCode, title: input.title, description: input.description, advice: null, decision: null, feedback_nl: null, feedback_en: null, created_by: input.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (clusters.length > 0) {
      await trx
        .insertInto('agenda_item_clusters')
        .values(clusters.map((c) => ({ agenda_item_id: item.id, cluster_id: c.id, label: c.label, domain_key: c.domain_key })))
        .execute();
    }
    await trx.insertInto('agenda_events').values({ id: randomUUID(), agenda_item_id: item.id, kind: 'created', from_status: null, to_status: 'new', note: null, actor_user_id: input.userId }).execute();
    return item;
  });
}

export interface AgendaListItem extends AgendaItem {
  clusters: AgendaItemCluster[];
}

/** The items of these municipalities, most recently changed first. */
export async function listAgendaItems(db: Db, municipalityCodes: readonly string[], options: { statuses?: readonly AgendaStatus[] } = {}): Promise<AgendaListItem[]> {
  if (municipalityCodes.length === 0) return [];
  let query = db.selectFrom('agenda_items').selectAll().where('municipality_code', 'in', municipalityCodes);
  if (options.statuses) query = query.where('status', 'in', options.statuses);
  const items = await query.orderBy('updated_at', 'desc').orderBy('id').limit(500).execute();
  const links = items.length === 0 ? [] : await db.selectFrom('agenda_item_clusters').selectAll().where('agenda_item_id', 'in', items.map((i) => i.id)).orderBy('label').execute();
  return items.map((i) => ({ ...i, clusters: links.filter((l) => l.agenda_item_id === i.id) }));
}

/** The item, only when it belongs to one of these municipalities. */
export async function findAgendaItem(db: Db, id: string, municipalityCodes: readonly string[]): Promise<AgendaListItem | undefined> {
  if (municipalityCodes.length === 0) return undefined;
  const item = await db.selectFrom('agenda_items').selectAll().where('id', '=', id).where('municipality_code', 'in', municipalityCodes).executeTakeFirst();
  if (!item) return undefined;
  const clusters = await db.selectFrom('agenda_item_clusters').selectAll().where('agenda_item_id', '=', id).orderBy('label').execute();
  return { ...item, clusters };
}

export interface AgendaHistoryEntry extends AgendaEvent {
  actor_email: string | null;
}

export async function agendaHistory(db: Db, itemId: string): Promise<AgendaHistoryEntry[]> {
  return db
    .selectFrom('agenda_events')
    .leftJoin('users', 'users.id', 'agenda_events.actor_user_id')
    .selectAll('agenda_events')
    .select('users.email as actor_email')
    .where('agenda_item_id', '=', itemId)
    .orderBy('agenda_events.at')
    .orderBy('agenda_events.id')
    .execute();
}

export interface StatusChange {
  itemId: string;
  municipalityCode: string;
  from: AgendaStatus;
  to: AgendaStatus;
  userId: string;
  texts: { advice: string | null; decision: string | null; feedbackNl: string | null; feedbackEn: string | null };
}

/**
 * Stores a checked move with its texts and history row. Only when the item is still in `from` (a compare-and-set):
 * a double click or two people at once move it once; the second gets false and nothing changes.
 */
export async function changeAgendaStatus(db: Kysely<Database>, change: StatusChange): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const now = new Date();
    const updated = await trx
      .updateTable('agenda_items')
      .set({
        status: change.to,
        advice: change.texts.advice,
        decision: change.texts.decision,
        feedback_nl: change.texts.feedbackNl,
        feedback_en: change.texts.feedbackEn,
        updated_at: now,
        ...(change.to === 'reported_back' ? { reported_back_at: now } : {}),
      })
      .where('id', '=', change.itemId)
      .where('municipality_code', '=', change.municipalityCode)
      .where('status', '=', change.from)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await trx
      .insertInto('agenda_events')
      .values({ id: randomUUID(), agenda_item_id: change.itemId, kind: 'status', from_status: change.from, to_status: change.to, note: null, actor_user_id: change.userId })
      .execute();
    return true;
  });
}

export async function addAgendaNote(db: Kysely<Database>, itemId: string, note: string, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('agenda_events').values({ id: randomUUID(), agenda_item_id: itemId, kind: 'note', from_status: null, to_status: null, note, actor_user_id: userId }).execute();
    await trx.updateTable('agenda_items').set({ updated_at: new Date() }).where('id', '=', itemId).execute();
  });
}

/** Whether the municipality publishes its agenda summary (settings.publicAgenda, off by default). */
export function publishesAgenda(settings: Record<string, unknown>): boolean {
  return settings.publicAgenda === true;
}

export async function setPublicAgenda(db: Db, municipalityCode: string, on: boolean): Promise<void> {
  // jsonb_set on the one key, so settings written by others at the same time are kept.
  await db
    .updateTable('municipalities')
    .set({ settings: sql<string>`jsonb_set(coalesce(settings, '{}'::jsonb), '{publicAgenda}', ${JSON.stringify(on)}::jsonb)` })
    .where('code', '=', municipalityCode)
    .execute();
}
