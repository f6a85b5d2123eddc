/**
 * The cluster list (/dashboard/clusters) and the overview's short list of new and growing clusters. Only clusters
 * of five or more distinct residents under the filter are shown (dashboards/suppression.ts); the page says how many
 * it withheld. Every figure inside a shown cluster (clients, carers, a wijk) is suppressed on its own too.
 */
import { html } from 'hono/html';
import type { Municipality, Wijk } from '../../db/database.ts';
import type { ClusterSummary } from '../../db/repositories/clusters.ts';
import type { DashboardFilter } from '../../db/repositories/dashboard-stats.ts';
import type { Html } from '../../app/http/layout.ts';
import { filterQuery } from '../filters.ts';
import { countText, isSuppressed, shown } from '../suppression.ts';
import { clusterTexts, type ClusterTexts } from './clusters-texts.ts';
import { filterForm } from './filter-form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

/** Clusters that may be shown: five or more distinct residents under the filter. */
export function visibleClusters(summaries: readonly ClusterSummary[]): { visible: ClusterSummary[]; withheld: number } {
  const visible = summaries.filter((s) => s.residents > 0 && !isSuppressed(s.residents));
  return { visible, withheld: summaries.length - visible.length };
}

/** "35 % (7)", or "< 5" for 1 to 4 residents (no percentage either: it would give the count away). */
export function shareText(count: number, of: number, locale: string, ct: ClusterTexts): string {
  const figure = shown(count, count);
  if (figure.suppressed) return countText(figure, locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(of > 0 ? count / of : 0);
  return ct.clusters.share(percent, countText(figure, locale));
}

export function sentimentText(value: number | null, locale: string, ct: ClusterTexts): string {
  if (value === null) return ct.clusters.sentiment.unknown;
  const word = value <= -0.2 ? ct.clusters.sentiment.negative : value >= 0.2 ? ct.clusters.sentiment.positive : ct.clusters.sentiment.neutral;
  return `${word} (${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value)})`;
}

export function wijkNamesText(summary: ClusterSummary, wijkNames: ReadonlyMap<string, string>, locale: string, ct: ClusterTexts, max = 3): string {
  const top = summary.wijken.slice(0, max).map((w) => `${w.code === '' ? ct.clusters.notPlaced : (wijkNames.get(w.code) ?? w.code)} (${countText(shown(w.residents, w.residents), locale)})`);
  const more = summary.wijken.length - max;
  return [...top, ...(more > 0 ? [ct.clusters.moreWijken(more)] : [])].join(', ');
}

export function clusterHref(id: string, filter: DashboardFilter): string {
  return `/dashboard/clusters/${encodeURIComponent(id)}${filterQuery(filter)}`;
}

export function trendText(summary: ClusterSummary, ct: ClusterTexts): string {
  return `${ct.clusters.trends[summary.trend]}${summary.alert ? ` (${ct.clusters.alert})` : ''}`;
}

export function exportLinks(ctx: ViewContext, filter: DashboardFilter): Html {
  const ct = clusterTexts(ctx.lang).clusters;
  const query = filterQuery(filter);
  const links: [string, string][] = [
    ['/dashboard/export/clusters.csv', ct.exportLinks.clustersCsv],
    ['/dashboard/export/clusters.json', ct.exportLinks.clustersJson],
    ['/dashboard/export/signals.csv', ct.exportLinks.signalsCsv],
    ['/dashboard/export/signals.json', ct.exportLinks.signalsJson],
  ];
  return html`<section aria-labelledby="exports-heading" class="no-print">
    <h2 class="utrecht-heading-2" id="exports-heading">${ct.exports}</h2>
    <p class="utrecht-paragraph">${ct.exportNote}</p>
    <ul class="utrecht-unordered-list export-links">
      ${links.map(([href, label]) => html`<li class="utrecht-unordered-list__item"><a class="utrecht-link" href="${href}${query}" download>${label}</a></li>`)}
    </ul>
  </section>`;
}

export function clustersPage(
  ctx: ViewContext,
  options: { municipalities: readonly Municipality[]; wijken: readonly Wijk[]; filter: DashboardFilter; filterError?: string | undefined; summaries?: readonly ClusterSummary[] | undefined },
): Html {
  const { t } = ctx;
  const ct = clusterTexts(ctx.lang);
  const c = ct.clusters.columns;
  const names = options.municipalities.map((m) => m.name).join(', ');
  const wijkNames = new Map(options.wijken.map((w) => [w.code, w.name]));
  const several = options.municipalities.length > 1;
  const municipalityNames = new Map(options.municipalities.map((m) => [m.code, m.name]));
  const list = (): Html | '' => {
    if (!options.summaries) return '';
    const { visible, withheld } = visibleClusters(options.summaries);
    const withheldText = withheld > 0 ? html`<p class="utrecht-paragraph" id="clusters-withheld">${ct.clusters.withheld(withheld)}</p>` : '';
    if (visible.length === 0) return html`<p class="utrecht-paragraph" id="clusters-none">${ct.clusters.none}</p>${withheldText}`;
    return html`${withheldText}
      <table class="utrecht-table utrecht-table--html-table signals clusters">
        <caption class="utrecht-table__caption visually-hidden">${ct.clusters.caption}</caption>
        <thead class="utrecht-table__header"><tr class="utrecht-table__row">
          <th scope="col" class="utrecht-table__header-cell">${c.label}</th>
          <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${c.residents}</th>
          <th scope="col" class="utrecht-table__header-cell">${c.trend}</th>
          <th scope="col" class="utrecht-table__header-cell">${c.domains}</th>
          <th scope="col" class="utrecht-table__header-cell">${c.wijken}</th>
          <th scope="col" class="utrecht-table__header-cell">${c.clients}</th>
          <th scope="col" class="utrecht-table__header-cell">${c.carers}</th>
          <th scope="col" class="utrecht-table__header-cell">${c.sentiment}</th>
        </tr></thead>
        <tbody class="utrecht-table__body">
          ${visible.map(
            (s) => html`<tr class="utrecht-table__row cluster-row" data-cluster="${s.id}">
              <th scope="row" class="utrecht-table__header-cell" data-label="${c.label}"><a class="utrecht-link" href="${clusterHref(s.id, options.filter)}">${s.label}</a>${several ? html` <span class="cluster-municipality">(${municipalityNames.get(s.municipality_code) ?? s.municipality_code})</span>` : ''}</th>
              <td class="utrecht-table__cell utrecht-table__cell--numeric" data-label="${c.residents}">${countText(shown(s.residents, s.residents), t.locale)}</td>
              <td class="utrecht-table__cell" data-label="${c.trend}"><span class="trend trend--${s.trend}">${trendText(s, ct)}</span></td>
              <td class="utrecht-table__cell" data-label="${c.domains}">${s.domains.slice(0, 3).map((d) => t.domainLabels[d.key] ?? d.key).join(', ')}</td>
              <td class="utrecht-table__cell" data-label="${c.wijken}">${wijkNamesText(s, wijkNames, t.locale, ct)}</td>
              <td class="utrecht-table__cell" data-label="${c.clients}">${shareText(s.clients, s.residents, t.locale, ct)}</td>
              <td class="utrecht-table__cell" data-label="${c.carers}">${shareText(s.carers, s.residents, t.locale, ct)}</td>
              <td class="utrecht-table__cell" data-label="${c.sentiment}">${sentimentText(s.sentiment, t.locale, ct)}</td>
            </tr>`,
          )}
        </tbody>
      </table>`;
  };
  return dashboardPage(ctx, {
    title: ct.clusters.title,
    section: 'clusters',
    filterQuery: filterQuery(options.filter),
    body: html`
      <h1 class="utrecht-heading-1">${ct.clusters.heading(names)}</h1>
      <p class="utrecht-paragraph">${ct.clusters.intro}</p>
      ${filterForm(ctx, { action: '/dashboard/clusters', filter: options.filter, wijken: options.wijken, error: options.filterError })}
      <p class="utrecht-paragraph">${t.suppressed}</p>
      ${list()}
      ${options.filterError ? '' : exportLinks(ctx, options.filter)}`,
  });
}

/** The overview's short list: new and growing clusters of five or more residents, linking to their pages. */
export function risingClusters(ctx: ViewContext, options: { summaries: readonly ClusterSummary[]; filter: DashboardFilter; max?: number }): Html {
  const ct = clusterTexts(ctx.lang);
  const rising = visibleClusters(options.summaries).visible.filter((s) => s.trend === 'new' || s.trend === 'growing').slice(0, options.max ?? 5);
  return html`<section aria-labelledby="rising-heading" id="rising-clusters">
    <h2 class="utrecht-heading-2" id="rising-heading">${ct.clusters.risingHeading}</h2>
    ${rising.length === 0
      ? html`<p class="utrecht-paragraph">${ct.clusters.risingNone}</p>`
      : html`<ul class="utrecht-unordered-list rising-clusters">
          ${rising.map(
            (s) =>
              html`<li class="utrecht-unordered-list__item"><a class="utrecht-link" href="${clusterHref(s.id, options.filter)}">${s.label}</a>: ${trendText(s, ct)}, ${countText(shown(s.residents, s.residents), ctx.t.locale)} ${ct.clusters.columns.residents.toLowerCase()}</li>`,
          )}
        </ul>`}
    <p class="utrecht-paragraph"><a class="utrecht-link" href="/dashboard/clusters${filterQuery(options.filter)}">${ct.clusters.allClusters}</a></p>
  </section>`;
}
