/**
 * What the bot reads on every message but that changes only on a gazetteer import or a settings change: which
 * municipality a WhatsApp business number belongs to, and a municipality's wijken. Kept in memory per process for
 * cacheTtlMs; a change made in this process (settings page, import) calls invalidateBotCaches() and is seen at once,
 * one made by another process (the CLI import) within cacheTtlMs. Bot texts are not cached: the turn reads the
 * municipality row fresh, so an administrator's new text is used on the next reply.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import { listWijken } from '../db/repositories/municipalities.ts';

export const cacheTtlMs = 30_000;

interface Entry<T> {
  value: Promise<T>;
  until: number;
  generation: number;
}

/** Per database (tests and the bench open several in one process), per municipality. */
const wijken = new WeakMap<object, Map<string, Entry<{ code: string; name: string }[]>>>();
const routing = new WeakMap<object, Entry<MunicipalityRouting>>();

let generation = 0;

/** Forgets everything cached, e.g. after a gazetteer import or a change of municipality settings. */
export function invalidateBotCaches(): void {
  generation++;
}

function fresh<T>(entry: Entry<T> | undefined): entry is Entry<T> {
  return entry !== undefined && entry.until > Date.now();
}

/** The wijken of a municipality (code and name, by name), for the quick replies of the wijk question. */
export function cachedWijken(db: Kysely<Database>, municipalityCode: string, reader: Kysely<Database> | Transaction<Database> = db): Promise<{ code: string; name: string }[]> {
  let ofDb = wijken.get(db);
  if (!ofDb) {
    ofDb = new Map<string, Entry<{ code: string; name: string }[]>>();
    wijken.set(db, ofDb);
  }
  const byCode = ofDb;
  const hit = byCode.get(municipalityCode);
  if (fresh(hit) && hit.generation === generation) return hit.value;
  // Read through the caller's transaction when it has one: PGlite has one connection, held by that transaction.
  const value = listWijken(reader, municipalityCode).then((rows) => rows.map((w) => ({ code: w.code, name: w.name })));
  byCode.set(municipalityCode, { value, until: Date.now() + cacheTtlMs, generation });
  // A failed read is not remembered.
  value.catch(() => byCode.delete(municipalityCode));
  return value;
}

interface MunicipalityRouting {
  byPhoneNumberId: Map<string, string>;
  codes: Set<string>;
  first: string | undefined;
}

/**
 * The municipality that receives a message sent to this business number: the one whose settings name the number,
 * else the configured default (when it exists), else the first by name. Undefined when there is none at all.
 */
export async function municipalityForNumber(db: Kysely<Database>, phoneNumberId: string | undefined, fallback: string | undefined): Promise<string | undefined> {
  let hit = routing.get(db);
  if (!fresh(hit) || hit.generation !== generation) {
    const value = loadRouting(db);
    hit = { value, until: Date.now() + cacheTtlMs, generation };
    routing.set(db, hit);
    value.catch(() => routing.delete(db));
  }
  const r = await hit.value;
  const byNumber = phoneNumberId === undefined ? undefined : r.byPhoneNumberId.get(phoneNumberId);
  if (byNumber !== undefined) return byNumber;
  if (fallback !== undefined) return r.codes.has(fallback) ? fallback : undefined;
  return r.first;
}

async function loadRouting(db: Kysely<Database>): Promise<MunicipalityRouting> {
  const rows = await db.selectFrom('municipalities').select(['code', 'settings']).orderBy('name').execute();
  const byPhoneNumberId = new Map<string, string>();
  for (const row of rows) {
    const id = row.settings.whatsappPhoneNumberId;
    if (typeof id === 'string' && !byPhoneNumberId.has(id)) byPhoneNumberId.set(id, row.code);
  }
  return { byPhoneNumberId, codes: new Set(rows.map((r) => r.code)), first: rows[0]?.code };
}
