/**
 * The review queue (issue 5): signals the analysis was unsure about or flagged urgent, until a person has confirmed
 * or corrected them; the corrections (signal_reviews) as labelled examples and as the accuracy panel's source.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, DomainScore, Signal, SignalReview, SignalSource } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type ReviewItem = Pick<Signal, 'id' | 'reference' | 'source' | 'text_redacted' | 'domains' | 'wijk_code' | 'buurt_code' | 'urgent' | 'review' | 'received_at' | 'language'>;

const itemColumns = ['s.id', 's.reference', 's.source', 's.text_redacted', 's.domains', 's.wijk_code', 's.buurt_code', 's.urgent', 's.review', 's.received_at', 's.language'] as const;

/** Signals of one municipality still to review: urgent first, then oldest first. */
export async function reviewQueue(db: Db, municipalityCode: string, limit = 50): Promise<ReviewItem[]> {
  return db
    .selectFrom('signals as s')
    .select(itemColumns)
    .where('s.municipality_code', '=', municipalityCode)
    .where((eb) => eb.or([eb('s.review', '=', true), eb('s.urgent', '=', true)]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('signal_reviews as sr').select('sr.id').whereRef('sr.signal_id', '=', 's.id'))))
    .orderBy('s.urgent', 'desc')
    .orderBy('s.received_at')
    .orderBy('s.id')
    .limit(limit)
    .execute();
}

/** A signal of this municipality, or undefined (also for another municipality's id). */
export async function findSignalForReview(db: Db, id: string, municipalityCode: string): Promise<ReviewItem | undefined> {
  return db.selectFrom('signals as s').select(itemColumns).where('s.id', '=', id).where('s.municipality_code', '=', municipalityCode).executeTakeFirst();
}

/** Stores a person's review and updates the signal: their domains (kept confidences, 1 for added ones) and wijk. */
export async function storeReview(
  db: Kysely<Database>,
  input: { signal: ReviewItem; municipalityCode: string; reviewerUserId: string; domains: readonly string[]; wijkCode: string | null },
): Promise<SignalReview> {
  const oldKeys = input.signal.domains.map((d) => d.key);
  const oldConfidence = new Map(input.signal.domains.map((d) => [d.key, d.confidence]));
  const newDomains: DomainScore[] = input.domains.map((key) => ({ key, confidence: oldConfidence.get(key) ?? 1 })).sort((a, b) => b.confidence - a.confidence);
  const newKeys = newDomains.map((d) => d.key);
  const changed = input.wijkCode !== input.signal.wijk_code || oldKeys.length !== newKeys.length || oldKeys.some((k) => !newKeys.includes(k));
  return db.transaction().execute(async (trx) => {
    const review = await trx
      .insertInto('signal_reviews')
      .values({
        id: randomUUID(),
        signal_id: input.signal.id,
        municipality_code: input.municipalityCode,
        reviewer_user_id: input.reviewerUserId,
        old_domains: JSON.stringify(oldKeys),
        new_domains: JSON.stringify(newKeys),
        old_wijk_code: input.signal.wijk_code,
        new_wijk_code: input.wijkCode,
        changed,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('signals')
      .set({
        domains: JSON.stringify(newDomains),
        wijk_code: input.wijkCode,
        // A different wijk makes the analysed buurt meaningless.
        buurt_code: input.wijkCode === input.signal.wijk_code ? input.signal.buurt_code : null,
        review: false,
      })
      .where('id', '=', input.signal.id)
      .where('municipality_code', '=', input.municipalityCode)
      .execute();
    return review;
  });
}

export async function listReviews(db: Db, municipalityCode: string, limit = 10_000): Promise<SignalReview[]> {
  return db.selectFrom('signal_reviews').selectAll().where('municipality_code', '=', municipalityCode).orderBy('reviewed_at', 'desc').orderBy('id').limit(limit).execute();
}

export interface DomainAccuracy {
  domain: string;
  /** Reviews in which the machine or the person gave this domain. */
  involved: number;
  /** The machine gave it, the person took it away. */
  removed: number;
  /** The person added it. */
  added: number;
}

/** How often people corrected the machine, per domain (most involved first). */
export function accuracyPerDomain(reviews: readonly Pick<SignalReview, 'old_domains' | 'new_domains'>[]): DomainAccuracy[] {
  const rows = new Map<string, DomainAccuracy>();
  const row = (domain: string) => {
    let r = rows.get(domain);
    if (!r) rows.set(domain, (r = { domain, involved: 0, removed: 0, added: 0 }));
    return r;
  };
  for (const review of reviews) {
    for (const key of new Set([...review.old_domains, ...review.new_domains])) {
      const r = row(key);
      r.involved++;
      if (review.old_domains.includes(key) && !review.new_domains.includes(key)) r.removed++;
      if (!review.old_domains.includes(key) && review.new_domains.includes(key)) r.added++;
    }
  }
  return [...rows.values()].sort((a, b) => b.involved - a.involved || a.domain.localeCompare(b.domain));
}

/** A labelled example in CONTRACTS.md section 8 format: section 4 fields plus `domains` (keys). Redacted text only. */
export interface LabelledExample {
  id: string;
  text: string;
  source: SignalSource;
  municipality: string;
  language?: string;
  domains: string[];
}

/** How many reviews a municipality has: the worker retrains its classifier when this grew enough (issue 4). */
export async function reviewCount(db: Db, municipalityCode: string): Promise<number> {
  const row = await db
    .selectFrom('signal_reviews')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The municipality's reviewed signals as labelled examples, each with its latest review's domains, oldest first. */
export async function labelledExamples(db: Db, municipalityCode: string): Promise<LabelledExample[]> {
  const rows = await db
    .selectFrom('signal_reviews as sr')
    .innerJoin('signals as s', 's.id', 'sr.signal_id')
    .select(['s.id', 's.external_id', 's.text_redacted', 's.source', 's.municipality_code', 's.language', 'sr.new_domains', 'sr.reviewed_at'])
    .where('sr.municipality_code', '=', municipalityCode)
    .where('s.municipality_code', '=', municipalityCode)
    .where('s.text_redacted', 'is not', null)
    .orderBy('sr.reviewed_at')
    .orderBy('sr.id')
    .execute();
  const latest = new Map<string, LabelledExample>();
  for (const r of rows) {
    latest.delete(r.id);
    latest.set(r.id, {
      id: r.external_id ?? r.id,
      text: r.text_redacted ?? '',
      source: r.source,
      municipality: r.municipality_code,
      ...(r.language !== null && r.language !== 'und' ? { language: r.language } : {}),
      domains: r.new_domains,
    });
  }
  return [...latest.values()];
}

/** JSON Lines of the examples, one object a line, ending in a newline. */
export function examplesJsonl(examples: readonly LabelledExample[]): string {
  return examples.map((e) => JSON.stringify(e)).join('\n') + (examples.length > 0 ? '\n' : '');
}
