/**
 * The dashboard's exports as CSV and JSON (pure). CSV is RFC 4180 (CRLF, a field with a comma, quote or line break
 * in double quotes, quotes doubled) with a UTF-8 byte order mark so spreadsheet programs read the accents. A text
 * cell that starts with = + - @ (or a tab or carriage return) gets a leading apostrophe: a spreadsheet would run it
 * as a formula (CSV injection, OWASP). Numbers are written as numbers and are never prefixed.
 */
import type { ClusterSummary, ExportSignalRow } from '../../db/repositories/clusters.ts';
import type { DashboardFilter } from '../../db/repositories/dashboard-stats.ts';
import { isSuppressed, MIN_RESIDENTS } from '../suppression.ts';

export type Cell = string | number | boolean | null;

const SUPPRESSED = `< ${MIN_RESIDENTS}`;
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe for spreadsheets. */
export function safeText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvCell(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? safeText(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** A count of a group of `residents` distinct residents, or "< 5". */
const count = (value: number, residents: number): number | string => (isSuppressed(residents) ? SUPPRESSED : value);

export const clusterColumns = ['id', 'municipality', 'label', 'domain', 'domains', 'residents', 'signals', 'trend', 'alert', 'clients', 'carers', 'sentiment', 'wijken', 'first_seen_at', 'last_seen_at'] as const;

export interface ClusterExportRow {
  id: string;
  municipality: string;
  label: string;
  domain: string;
  domains: string[];
  residents: number;
  signals: number;
  trend: ClusterSummary['trend'];
  alert: boolean;
  clients: number | string;
  carers: number | string;
  sentiment: number | null;
  /** Residents per wijk code ('' for not placed), "< 5" under five. */
  wijken: { wijk: string; residents: number | string }[];
  first_seen_at: string;
  last_seen_at: string;
}

/** Visible clusters only (the caller filtered them); figures inside suppressed on their own. */
export function clusterExportRows(visible: readonly ClusterSummary[]): ClusterExportRow[] {
  return visible.map((s) => ({
    id: s.id,
    municipality: s.municipality_code,
    label: s.label,
    domain: s.domain_key,
    domains: s.domains.map((d) => d.key),
    residents: s.residents,
    signals: s.signals,
    trend: s.trend,
    alert: s.alert,
    clients: count(s.clients, s.clients),
    carers: count(s.carers, s.carers),
    sentiment: s.sentiment === null ? null : Math.round(s.sentiment * 100) / 100,
    wijken: s.wijken.map((w) => ({ wijk: w.code, residents: count(w.residents, w.residents) })),
    first_seen_at: s.first_seen_at.toISOString(),
    last_seen_at: s.last_seen_at.toISOString(),
  }));
}

export function clustersCsv(rows: readonly ClusterExportRow[]): string {
  return toCsv(
    clusterColumns,
    rows.map((r) => [
      r.id,
      r.municipality,
      r.label,
      r.domain,
      r.domains.join(';'),
      r.residents,
      r.signals,
      r.trend,
      r.alert,
      r.clients,
      r.carers,
      r.sentiment,
      r.wijken.map((w) => `${w.wijk === '' ? '?' : w.wijk}:${w.residents}`).join(';'),
      r.first_seen_at,
      r.last_seen_at,
    ]),
  );
}

export const signalColumns = ['id', 'reference', 'municipality', 'received_at', 'source', 'language', 'domains', 'wijk', 'cluster', 'sentiment', 'urgent', 'text_redacted'] as const;

export interface SignalExportRow {
  id: string;
  reference: string;
  municipality: string;
  received_at: string;
  source: string;
  language: string | null;
  domains: string[];
  /** Null when the wijk has fewer than five residents in this export (or the signal is not placed). */
  wijk: string | null;
  /** Null when the cluster is not shown (fewer than five residents under the filter) or there is none. */
  cluster: string | null;
  sentiment: number | null;
  urgent: boolean;
  text_redacted: string;
}

/**
 * The signals of an export. The whole list is withheld when it comes from fewer than five residents; a wijk or a
 * cluster is named only when its group in the export has five or more residents, so no small group can be read
 * from the rows.
 */
export function signalExportRows(rows: readonly ExportSignalRow[], shownClusters: ReadonlySet<string>): { withheld: boolean; rows: SignalExportRow[] } {
  const people = (key: (r: ExportSignalRow) => string | null) => {
    const groups = new Map<string, Set<string>>();
    for (const r of rows) {
      const k = key(r);
      if (k !== null) groups.set(k, (groups.get(k) ?? new Set()).add(r.person));
    }
    return groups;
  };
  if (isSuppressed(new Set(rows.map((r) => r.person)).size)) return { withheld: true, rows: [] };
  const perWijk = people((r) => r.wijk_code);
  return {
    withheld: false,
    rows: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      municipality: r.municipality_code,
      received_at: r.received_at.toISOString(),
      source: r.source,
      language: r.language,
      domains: r.domains.map((d) => d.key),
      wijk: r.wijk_code !== null && !isSuppressed(perWijk.get(r.wijk_code)?.size ?? 0) ? r.wijk_code : null,
      cluster: r.cluster_id !== null && shownClusters.has(r.cluster_id) ? r.cluster_id : null,
      sentiment: r.sentiment,
      urgent: r.urgent,
      text_redacted: r.text_redacted,
    })),
  };
}

export function signalsCsv(rows: readonly SignalExportRow[]): string {
  return toCsv(
    signalColumns,
    rows.map((r) => [r.id, r.reference, r.municipality, r.received_at, r.source, r.language, r.domains.join(';'), r.wijk, r.cluster, r.sentiment, r.urgent, r.text_redacted]),
  );
}

/** The JSON document of an export: what, when, under which filter, how much was withheld, and the rows. */
export function exportJson(kind: 'clusters' | 'signals', options: { municipalities: readonly string[]; filter: DashboardFilter; withheld: number | boolean; rows: readonly object[]; now?: Date }): string {
  return `${JSON.stringify(
    {
      export: kind,
      generated_at: (options.now ?? new Date()).toISOString(),
      municipalities: options.municipalities,
      filter: options.filter,
      suppression: { min_residents: MIN_RESIDENTS, suppressed_value: SUPPRESSED, withheld: options.withheld },
      [kind]: options.rows,
    },
    null,
    2,
  )}\n`;
}
