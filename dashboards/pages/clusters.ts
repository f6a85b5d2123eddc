/**
 * Clusters (/dashboard/clusters), one cluster (/:id) and its printable report (/:id/rapport). Every role; a region
 * user sees the clusters of the region's municipalities. A cluster of another municipality (or an id that is no
 * cluster) gets 404, logged as access.refused. Every view of a cluster's signal text is audited.
 */
import { Hono, type Context } from 'hono';
import { auditSignalView } from '../../db/repositories/audit.ts';
import { clusterSignals, clusterTimeline, getCluster, listClusterSummaries } from '../../db/repositories/clusters.ts';
import { isSuppressed } from '../suppression.ts';
import { clustersPage } from '../views/clusters.ts';
import { clusterPage, clusterReportPage, type ClusterView } from '../views/clusters-page.ts';
import { clusterTexts } from '../views/clusters-texts.ts';
import { refuse, userScope, viewContext, viewFilter, type DashboardEnv, type PageDeps } from './context.ts';

const CLUSTER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Signals shown on a cluster page and in its report. */
const SIGNAL_LIMIT = 500;
/** Trend, domains and wijken are counted only for clusters that may be shown. */
const detailed = (residents: number) => !isSuppressed(residents);

export function clusterRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();

  app.get('/', async (c) => {
    const ctx = await viewContext(c, db);
    const scope = await userScope(db, c.get('user'));
    const { filter, error } = viewFilter(c, ctx.t, scope.wijken);
    if (error) return c.html(clustersPage(ctx, { ...scope, filter, filterError: error }), 400);
    const summaries = await listClusterSummaries(db, scope.codes, filter, { detailed });
    return c.html(clustersPage(ctx, { ...scope, filter, summaries }));
  });

  const show = async (c: Context<DashboardEnv>, kind: 'page' | 'report') => {
    const user = c.get('user');
    const id = c.req.param('id') ?? '';
    const scope = await userScope(db, user);
    const cluster = CLUSTER_ID.test(id) ? await getCluster(db, id) : undefined;
    if (!cluster || !scope.codes.includes(cluster.municipality_code)) {
      // Logged by refuse; the answer names a cluster, not refuse's default subject.
      await refuse(c, db, 404, { reason: 'cluster not in municipality', subjectType: 'cluster', subjectId: id });
      return c.text(clusterTexts(c.get('lang')).cluster.notFound, 404);
    }
    const ctx = await viewContext(c, db);
    const { filter, error } = viewFilter(c, ctx.t, scope.wijken);
    const base: ClusterView = { id, label: cluster.label, municipalities: scope.municipalities, wijken: scope.wijken, filter, summary: undefined, visible: false, timeline: [], signals: [] };
    if (error) return c.html(kind === 'page' ? clusterPage(ctx, { ...base, filterError: error }) : clusterReportPage(ctx, { ...base, filterError: error }), 400);
    const [summary] = await listClusterSummaries(db, scope.codes, filter, { clusterId: id, detailed });
    const visible = summary !== undefined && !isSuppressed(summary.residents);
    const view: ClusterView = visible
      ? { ...base, summary, visible, timeline: await clusterTimeline(db, id, scope.codes, filter), signals: await clusterSignals(db, id, scope.codes, filter, SIGNAL_LIMIT) }
      : { ...base, summary };
    if (view.signals.length > 0) await auditSignalView(db, user, view.signals.map((s) => s.id), { view: kind === 'page' ? 'cluster' : 'cluster.report', cluster: id, municipalities: scope.codes, filter });
    return c.html(kind === 'page' ? clusterPage(ctx, view) : clusterReportPage(ctx, view));
  };

  app.get('/:id', (c) => show(c, 'page'));
  app.get('/:id/rapport', (c) => show(c, 'report'));
  return app;
}
