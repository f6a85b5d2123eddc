/**
 * The landing page: signals over time (SVG chart and table), by life domain and by wijk, under the filters, then
 * the latest signals. Every figure goes through the small-group suppression.
 */
import { html } from 'hono/html';
import type { Municipality, Wijk } from '../../db/database.ts';
import type { DashboardFilter, FilteredSignal, Overview } from '../../db/repositories/dashboard-stats.ts';
import type { Html } from '../../app/http/layout.ts';
import { filterQuery } from '../filters.ts';
import { countText, shown } from '../suppression.ts';
import { barChart, figuresTable, type FigureRow } from './charts.ts';
import { filterForm } from './filter-form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';
import { signalsTable } from './signals.ts';
import { risingClusters } from './clusters.ts';
import type { ClusterSummary } from '../../db/repositories/clusters.ts';

export function overviewPage(
  ctx: ViewContext,
  options: {
    municipalities: readonly Municipality[];
    wijken: readonly Wijk[];
    filter: DashboardFilter;
    filterError?: string | undefined;
    overview?: Overview | undefined;
    signals: readonly FilteredSignal[];
    /** The list is withheld: a narrowing filter leaves fewer than five residents. */
    listSuppressed?: boolean;
    /** Clusters under the filter, for the short list of new and growing ones (dashboards/views/clusters.ts). */
    clusters?: readonly ClusterSummary[] | undefined;
  },
): Html {
  const { t } = ctx;
  const o = t.overview;
  const names = options.municipalities.map((m) => m.name).join(', ');
  const query = filterQuery(options.filter);
  const withFilter = (extra: DashboardFilter) => `/dashboard${filterQuery({ ...options.filter, ...extra })}`;
  const wijkNames = new Map(options.wijken.map((w) => [w.code, w.name]));
  const overview = options.overview;
  const dateFormat = new Intl.DateTimeFormat(t.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const monthFormat = new Intl.DateTimeFormat(t.locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const figures = (): Html | '' => {
    if (!overview) return '';
    if (overview.total.signals === 0) return html`<p class="utrecht-paragraph">${o.none}</p>`;
    const timeRows: FigureRow[] = overview.overTime.map((b) => ({
      label: (overview.unit === 'month' ? monthFormat : dateFormat).format(new Date(`${b.key}T00:00:00Z`)),
      signals: b.signals,
      residents: b.residents,
    }));
    const domainRows: FigureRow[] = overview.byDomain.map((b) => ({ label: t.domainLabels[b.key] ?? b.key, href: withFilter({ domain: b.key }), signals: b.signals, residents: b.residents }));
    const wijkRows: FigureRow[] = overview.byWijk.map((b) => ({
      label: b.key === '' ? o.notPlaced : (wijkNames.get(b.key) ?? b.key),
      href: b.key === '' || !wijkNames.has(b.key) ? undefined : withFilter({ wijk: b.key }),
      signals: b.signals,
      residents: b.residents,
    }));
    const title = o.overTime[overview.unit];
    const table = (caption: string, labelHeader: string, rows: FigureRow[], captionHidden = false) =>
      figuresTable({ caption, labelHeader, signalsHeader: o.signals, residentsHeader: o.residents, rows, locale: t.locale, captionHidden });
    return html`<p class="utrecht-paragraph overview-total" id="overview-total">${o.total(countText(shown(overview.total.signals, overview.total.residents), t.locale), countText(shown(overview.total.residents, overview.total.residents), t.locale))}</p>
      <p class="utrecht-paragraph">${t.suppressed}</p>
      <section aria-labelledby="over-time-heading">
        <h2 class="utrecht-heading-2" id="over-time-heading">${title}</h2>
        ${barChart({ id: 'over-time-chart', label: o.chartLabel(title), rows: timeRows, locale: t.locale })}
        ${table(title, o.period[overview.unit], timeRows, true)}
      </section>
      <div class="overview-columns">
        <section aria-labelledby="by-domain-heading">
          <h2 class="utrecht-heading-2" id="by-domain-heading">${o.byDomain}</h2>
          ${table(o.byDomain, o.domain, domainRows, true)}
        </section>
        <section aria-labelledby="by-wijk-heading">
          <h2 class="utrecht-heading-2" id="by-wijk-heading">${o.byWijk}</h2>
          ${table(o.byWijk, o.wijk, wijkRows, true)}
        </section>
      </div>`;
  };
  return dashboardPage(ctx, {
    title: o.title,
    section: 'signals',
    filterQuery: query,
    body: html`
      <h1 class="utrecht-heading-1">${o.heading(names)}</h1>
      <p class="utrecht-paragraph">${o.intro}</p>
      ${filterForm(ctx, { action: '/dashboard', filter: options.filter, wijken: options.wijken, error: options.filterError, withStatus: true })}
      ${options.clusters && !options.filterError ? risingClusters(ctx, { summaries: options.clusters, filter: options.filter }) : ''}
      ${figures()}
      <section aria-labelledby="latest-heading">
        <h2 class="utrecht-heading-2" id="latest-heading">${t.signals.heading(names)}</h2>
        <p class="utrecht-paragraph">${o.latest}. ${t.signals.intro}</p>
        ${options.filterError ? '' : options.listSuppressed ? html`<p class="utrecht-paragraph" id="list-suppressed">${o.listSuppressed}</p>` : signalsTable(ctx, { municipalities: options.municipalities, signals: options.signals })}
      </section>`,
  });
}
