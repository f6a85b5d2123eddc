/**
 * The filters every dashboard view keeps in its query string: period (van, tot), domein, wijk, bron, rol, leeftijd,
 * taal, and status for the signal list. A value outside its list is a clear error (400), never an empty page or a
 * 500; the values are only ever used as bound parameters.
 */
import type { AgeBand, ResidentRole, SignalSource, SignalStatus, Wijk } from '../db/database.ts';
import type { DashboardFilter } from '../db/repositories/dashboard-stats.ts';
import { signalSources } from '../db/tables/common.ts';
import { signalStatuses } from '../db/tables/signal.table.ts';
import { defaultDomainKeys } from '../pipeline/taxonomy.ts';
import type { Texts } from './i18n.ts';
import { ageBands, residentRoles } from './views/notes.ts';

export const filterParams = ['van', 'tot', 'domein', 'wijk', 'bron', 'rol', 'leeftijd', 'taal', 'status'] as const;
export type FilterParam = (typeof filterParams)[number];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LANGUAGE = /^(?:[a-z]{2}|und)$/;

export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 2000 && y <= 2100 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export interface FilterResult {
  filter: DashboardFilter;
  error?: string | undefined;
}

/** Reads the filters from the query; `wijken` are those of the user's municipalities. */
export function readDashboardFilter(query: (name: FilterParam) => string | undefined, t: Texts, wijken: readonly Pick<Wijk, 'code'>[]): FilterResult {
  const filter: DashboardFilter = {};
  const names = t.filters.names;
  const bad = (param: FilterParam, value: string): FilterResult => ({ filter, error: t.signals.badFilter(names[param], value.slice(0, 40)) });
  const value = (param: FilterParam): string | undefined => {
    const v = query(param)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  for (const param of ['van', 'tot'] as const) {
    const v = value(param);
    if (v === undefined) continue;
    if (!isCalendarDate(v)) return { filter, error: t.filters.badDate(names[param], v.slice(0, 40)) };
    if (param === 'van') filter.from = v;
    else filter.to = v;
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) return { filter, error: t.filters.fromAfterTo };
  const domain = value('domein');
  if (domain !== undefined) {
    if (!(defaultDomainKeys as readonly string[]).includes(domain)) return bad('domein', domain);
    filter.domain = domain;
  }
  const wijk = value('wijk');
  if (wijk !== undefined) {
    if (!wijken.some((w) => w.code === wijk)) return bad('wijk', wijk);
    filter.wijk = wijk;
  }
  const source = value('bron');
  if (source !== undefined) {
    if (!(signalSources as readonly string[]).includes(source)) return bad('bron', source);
    filter.source = source as SignalSource;
  }
  const role = value('rol');
  if (role !== undefined) {
    if (!(residentRoles as readonly string[]).includes(role)) return bad('rol', role);
    filter.role = role as ResidentRole;
  }
  const ageBand = value('leeftijd');
  if (ageBand !== undefined) {
    if (!(ageBands as readonly string[]).includes(ageBand)) return bad('leeftijd', ageBand);
    filter.ageBand = ageBand as AgeBand;
  }
  const language = value('taal');
  if (language !== undefined) {
    if (!LANGUAGE.test(language)) return bad('taal', language);
    filter.language = language;
  }
  const status = value('status');
  if (status !== undefined) {
    if (!(signalStatuses as readonly string[]).includes(status)) return bad('status', status);
    filter.status = status as SignalStatus;
  }
  return { filter };
}

/** The filter as a query string ("?van=…&domein=…", or "" when empty), for links between views. */
export function filterQuery(filter: DashboardFilter, options: { status?: boolean } = {}): string {
  const params = new URLSearchParams();
  const pairs: [FilterParam, string | undefined][] = [
    ['van', filter.from],
    ['tot', filter.to],
    ['domein', filter.domain],
    ['wijk', filter.wijk],
    ['bron', filter.source],
    ['rol', filter.role],
    ['leeftijd', filter.ageBand],
    ['taal', filter.language],
    ['status', options.status ? filter.status : undefined],
  ];
  for (const [name, v] of pairs) if (v !== undefined) params.set(name, v);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
