/**
 * Exports for an advice report (/dashboard/export/clusters.csv|json, /dashboard/export/signals.csv|json), every
 * role, under the dashboard filters, of the user's municipalities (a region user: the region's). Redacted text only;
 * small groups suppressed (dashboards/views/export-format.ts). Every export is written to the audit log, and an
 * export of signals is a view of signal text too (auditSignalView).
 */
import { Hono, type Context } from 'hono';
import { appendAudit, auditSignalView } from '../../db/repositories/audit.ts';
import { listClusterSummaries, signalsForExport } from '../../db/repositories/clusters.ts';
import { isSuppressed } from '../suppression.ts';
import { visibleClusters } from '../views/clusters.ts';
import { clusterExportRows, clustersCsv, exportJson, signalExportRows, signalsCsv } from '../views/export-format.ts';
import { userScope, viewFilter, type DashboardEnv, type PageDeps } from './context.ts';
import { texts } from '../i18n.ts';

type Format = 'csv' | 'json';

const contentTypes: Record<Format, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };

export function exportRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();

  const readScope = async (c: Context<DashboardEnv>) => {
    const scope = await userScope(db, c.get('user'));
    const result = viewFilter(c, texts(c.get('lang')), scope.wijken);
    return { scope, ...result };
  };

  const send = (c: Context<DashboardEnv>, format: Format, kind: string, body: string) => {
    const day = new Date().toISOString().slice(0, 10);
    c.header('content-type', contentTypes[format]);
    c.header('content-disposition', `attachment; filename="wijkstem-${kind}-${day}.${format}"`);
    return c.body(body);
  };

  const audit = async (c: Context<DashboardEnv>, action: string, details: Record<string, unknown>) => {
    const user = c.get('user');
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action, municipality_code: user.municipality_code, subject_type: 'export', subject_id: null, details });
  };

  const clusters = async (c: Context<DashboardEnv>, format: Format) => {
    const { scope, filter, error } = await readScope(c);
    if (error) return c.text(error, 400);
    const { visible, withheld } = visibleClusters(await listClusterSummaries(db, scope.codes, filter, { detailed: (residents) => !isSuppressed(residents) }));
    const rows = clusterExportRows(visible);
    await audit(c, 'clusters.export', { format, count: rows.length, withheld, municipalities: scope.codes, filter });
    const body = format === 'csv' ? clustersCsv(rows) : exportJson('clusters', { municipalities: scope.codes, filter, withheld, rows });
    return send(c, format, 'clusters', body);
  };

  const signals = async (c: Context<DashboardEnv>, format: Format) => {
    const { scope, filter, error } = await readScope(c);
    if (error) return c.text(error, 400);
    const shownClusters = new Set(visibleClusters(await listClusterSummaries(db, scope.codes, filter, { detailed: (residents) => !isSuppressed(residents) })).visible.map((s) => s.id));
    const { withheld, rows } = signalExportRows(await signalsForExport(db, scope.codes, filter), shownClusters);
    await audit(c, 'signals.export', { format, count: rows.length, withheld, municipalities: scope.codes, filter });
    if (rows.length > 0) await auditSignalView(db, c.get('user'), rows.map((r) => r.id), { view: 'export', format, municipalities: scope.codes, filter });
    const body = format === 'csv' ? signalsCsv(rows) : exportJson('signals', { municipalities: scope.codes, filter, withheld, rows });
    return send(c, format, 'signals', body);
  };

  app.get('/clusters.csv', (c) => clusters(c, 'csv'));
  app.get('/clusters.json', (c) => clusters(c, 'json'));
  app.get('/signals.csv', (c) => signals(c, 'csv'));
  app.get('/signals.json', (c) => signals(c, 'json'));

  return app;
}
