/**
 * The dashboard's figures (issue 5): signals over time, by life domain and by wijk, and who is heard, under the
 * filters every view keeps. Everything is counted in SQL with bound parameters; "residents" are distinct people:
 * a signal's resident, or the signal itself when it has none (a street note or an import counts as one person).
 */
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { AgeBand, Database, ResidentRole, SignalSource, SignalStatus } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface DashboardFilter {
  /** Inclusive first day, YYYY-MM-DD (Europe/Amsterdam). */
  from?: string | undefined;
  /** Inclusive last day, YYYY-MM-DD. */
  to?: string | undefined;
  domain?: string | undefined;
  wijk?: string | undefined;
  source?: SignalSource | undefined;
  role?: ResidentRole | undefined;
  ageBand?: AgeBand | undefined;
  language?: string | undefined;
  /** The signal list only. */
  status?: SignalStatus | undefined;
}

type From = Database & {
  s: Database['signals'];
  r: Database['residents'];
  sns: Database['street_note_signals'];
  sn: Database['street_notes'];
};

/** signals s with their resident r and street note sn (both optional), in the municipalities and the filter. */
export function filtered(db: Db, municipalityCodes: readonly string[], filter: DashboardFilter) {
  let query = db
    .selectFrom('signals as s')
    .leftJoin('residents as r', 'r.id', 's.resident_id')
    .leftJoin('street_note_signals as sns', 'sns.signal_id', 's.id')
    .leftJoin('street_notes as sn', 'sn.id', 'sns.street_note_id')
    .where('s.municipality_code', 'in', municipalityCodes.length > 0 ? [...municipalityCodes] : ['-']);
  if (filter.from !== undefined) query = query.where(sql<boolean>`s.received_at >= (${filter.from}::date)::timestamp at time zone 'Europe/Amsterdam'`);
  if (filter.to !== undefined) query = query.where(sql<boolean>`s.received_at < (${filter.to}::date + 1)::timestamp at time zone 'Europe/Amsterdam'`);
  if (filter.domain !== undefined) query = query.where(sql<boolean>`s.domains @> ${JSON.stringify([{ key: filter.domain }])}::jsonb`);
  if (filter.wijk !== undefined) query = query.where('s.wijk_code', '=', filter.wijk);
  if (filter.source !== undefined) query = query.where('s.source', '=', filter.source);
  if (filter.language !== undefined) query = query.where('s.language', '=', filter.language);
  if (filter.status !== undefined) query = query.where('s.status', '=', filter.status);
  if (filter.role !== undefined) query = query.where((eb) => eb.fn.coalesce('r.role', 'sn.resident_role'), '=', filter.role);
  if (filter.ageBand !== undefined) query = query.where((eb) => eb.fn.coalesce('r.age_band', 'sn.age_band'), '=', filter.ageBand);
  return query;
}

/** The person a signal counts for: its resident, or the signal itself. */
export const person = sql<string>`coalesce(s.resident_id::text, 's:' || s.id::text)`;

/**
 * count(distinct person) over rows of one signal each, counted the cheap way: distinct resident ids (uuids) plus the
 * signals without a resident, each a person of its own. Same number; at a million signals it sorts half the bytes
 * and builds no text per row.
 */
export const residentsCounted = sql<string>`(count(distinct s.resident_id) + count(*) filter (where s.resident_id is null))`;

function counted<O>(query: SelectQueryBuilder<From, 's' | 'r' | 'sns' | 'sn', O>) {
  return query.select([sql<string>`count(*)`.as('signals'), residentsCounted.as('residents')]);
}

export interface Bucket {
  key: string;
  signals: number;
  residents: number;
}

function buckets(rows: { key: string | null; signals: string | number; residents: string | number }[]): Bucket[] {
  return rows.map((r) => ({ key: r.key ?? '', signals: Number(r.signals), residents: Number(r.residents) }));
}

export interface Overview {
  total: Bucket;
  /** Per week (Monday, YYYY-MM-DD) or month (first day), oldest first. */
  overTime: Bucket[];
  unit: 'week' | 'month';
  byDomain: Bucket[];
  /** Per wijk code; key '' for signals not (yet) placed. */
  byWijk: Bucket[];
}

/** Periods longer than this many days are counted per month. */
const WEEKS_UP_TO_DAYS = 120;

export async function dashboardOverview(db: Db, municipalityCodes: readonly string[], filter: DashboardFilter): Promise<Overview> {
  const base = () => filtered(db, municipalityCodes, filter);
  // Total and span in one pass; the span decides weeks or months.
  const totalRow = await counted(base().select([sql<string | null>`min(s.received_at)::text`.as('first'), sql<string | null>`max(s.received_at)::text`.as('last')])).executeTakeFirstOrThrow();
  const firstDay = filter.from ?? totalRow.first?.slice(0, 10);
  const lastDay = filter.to ?? totalRow.last?.slice(0, 10);
  const days = firstDay && lastDay ? (Date.parse(lastDay) - Date.parse(firstDay)) / 86_400_000 : 0;
  const unit = days > WEEKS_UP_TO_DAYS ? 'month' : 'week';
  const period = sql<string>`to_char(date_trunc(${unit}, s.received_at at time zone 'Europe/Amsterdam'), 'YYYY-MM-DD')`;
  // A signal names a domain once; distinct ids keep the count exact even if one ever named it twice.
  const perDomain = base().select([sql<string>`jsonb_array_elements(s.domains) ->> 'key'`.as('domain'), 's.resident_id', 's.id']);
  // Independent queries: on PostgreSQL they run on separate pool connections at once.
  const [overTime, byDomain, byWijk] = await Promise.all([
    counted(base().select(period.as('key'))).groupBy(sql`1`).orderBy(sql`1`).execute(),
    db
      .selectFrom(perDomain.as('d'))
      .select(['d.domain as key', sql<string>`count(*)`.as('signals'), sql<string>`count(distinct d.resident_id) + count(distinct d.id) filter (where d.resident_id is null)`.as('residents')])
      .groupBy('d.domain')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('d.domain')
      .execute(),
    counted(base().select('s.wijk_code as key')).groupBy('s.wijk_code').orderBy(sql`count(*)`, 'desc').orderBy('s.wijk_code').execute(),
  ]);
  return {
    total: { key: 'total', signals: Number(totalRow.signals), residents: Number(totalRow.residents) },
    overTime: buckets(overTime),
    unit,
    byDomain: buckets(byDomain),
    byWijk: buckets(byWijk),
  };
}

export interface WhoIsHeard {
  byAgeBand: Bucket[];
  byWijk: Bucket[];
  bySource: Bucket[];
  byRole: Bucket[];
  /** Population per age band and per wijk from the gazetteer (sum over buurten); null where unknown. */
  populationByAgeBand: Record<AgeBand, number | null>;
  populationByWijk: Map<string, number | null>;
}

/** Participation: distinct residents per group. Groups are the resident's own answers, else the street note's. */
export async function whoIsHeard(db: Db, municipalityCodes: readonly string[], filter: DashboardFilter): Promise<WhoIsHeard> {
  const base = () => filtered(db, municipalityCodes, filter);
  const ageBand = (eb: ExpressionBuilder<From, 's' | 'r' | 'sns' | 'sn'>) => eb.fn.coalesce('r.age_band', 'sn.age_band');
  const byAgeBand = await counted(base().select((eb) => ageBand(eb).as('key')))
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
  const byWijk = await counted(base().select((eb) => eb.fn.coalesce('r.wijk_code', 'sn.wijk_code', 's.wijk_code').as('key')))
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
  const bySource = await counted(base().select('s.source as key')).groupBy('s.source').orderBy('s.source').execute();
  const byRole = await counted(base().select((eb) => eb.fn.coalesce('r.role', 'sn.resident_role').as('key')))
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
  const codes = municipalityCodes.length > 0 ? [...municipalityCodes] : ['-'];
  const population = await db
    .selectFrom('buurten')
    .where('municipality_code', 'in', codes)
    .select([
      'wijk_code',
      sql<string | null>`sum(inwoners)`.as('total'),
      sql<string | null>`sum(inwoners_0_15)`.as('a0_15'),
      sql<string | null>`sum(inwoners_15_25)`.as('a15_25'),
      sql<string | null>`sum(inwoners_25_45)`.as('a25_45'),
      sql<string | null>`sum(inwoners_45_65)`.as('a45_65'),
      sql<string | null>`sum(inwoners_65_plus)`.as('a65_plus'),
    ])
    .groupBy('wijk_code')
    .execute();
  const sum = (pick: (row: (typeof population)[number]) => string | null): number | null => {
    const values = population.map(pick).filter((v): v is string => v !== null);
    return values.length === 0 ? null : values.reduce((a, v) => a + Number(v), 0);
  };
  return {
    byAgeBand: buckets(byAgeBand),
    byWijk: buckets(byWijk),
    bySource: buckets(bySource),
    byRole: buckets(byRole),
    populationByAgeBand: {
      '0_15': sum((r) => r.a0_15),
      '15_25': sum((r) => r.a15_25),
      '25_45': sum((r) => r.a25_45),
      '45_65': sum((r) => r.a45_65),
      '65_plus': sum((r) => r.a65_plus),
    },
    populationByWijk: new Map(population.map((r) => [r.wijk_code, r.total === null ? null : Number(r.total)])),
  };
}

export interface FilteredSignal {
  id: string;
  reference: string;
  municipality_code: string;
  source: SignalSource;
  status: SignalStatus;
  text_redacted: string | null;
  received_at: Date;
  urgent: boolean;
  review: boolean;
}

/** The latest signals under the filter (the list on the overview); never the raw text. */
export async function listFilteredSignals(db: Db, municipalityCodes: readonly string[], filter: DashboardFilter, limit = 100): Promise<FilteredSignal[]> {
  return filtered(db, municipalityCodes, filter)
    .select(['s.id', 's.reference', 's.municipality_code', 's.source', 's.status', 's.text_redacted', 's.received_at', 's.urgent', 's.review'])
    .orderBy('s.received_at', 'desc')
    .orderBy('s.id')
    .limit(limit)
    .execute();
}
