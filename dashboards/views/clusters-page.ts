/**
 * One cluster (/dashboard/clusters/:id) and its printable report (/dashboard/clusters/:id/rapport): key figures,
 * signals per week (SVG chart and table), where its residents live (per wijk, "< 5" under five residents), and its
 * signals as residents told them (redacted, escaped: real text, never a paraphrase). Under five residents with the
 * filter nothing but a notice is shown.
 */
import { html } from 'hono/html';
import type { Municipality, Wijk } from '../../db/database.ts';
import type { ClusterSignal, ClusterSummary } from '../../db/repositories/clusters.ts';
import type { DashboardFilter } from '../../db/repositories/dashboard-stats.ts';
import type { Html } from '../../app/http/layout.ts';
import { filterQuery } from '../filters.ts';
import { countText, shown } from '../suppression.ts';
import { barChart, figuresTable, type FigureRow } from './charts.ts';
import { sentimentText, shareText, trendText } from './clusters.ts';
import { clusterTexts } from './clusters-texts.ts';
import { dashboardPage, type ViewContext } from './shell.ts';
import { tableTextsFor } from './tables.ts';

export interface ClusterView {
  id: string;
  label: string;
  municipalities: readonly Municipality[];
  wijken: readonly Wijk[];
  filter: DashboardFilter;
  /** Undefined when the cluster has no signals under the filter. */
  summary: ClusterSummary | undefined;
  /** False: fewer than five residents under the filter, nothing is shown. */
  visible: boolean;
  timeline: readonly { key: string; signals: number; residents: number }[];
  signals: readonly ClusterSignal[];
  /** A filter in the query that makes no sense: said instead of the figures. */
  filterError?: string | undefined;
}

function body(ctx: ViewContext, view: ClusterView, report: boolean): Html {
  const { t } = ctx;
  const ct = clusterTexts(ctx.lang);
  const c = ct.clusters.columns;
  const s = view.summary;
  if (view.filterError) {
    return html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><p class="utrecht-alert__message" id="filter-error">${view.filterError}</p></div></div>`;
  }
  if (!s || !view.visible) return html`<p class="utrecht-paragraph" id="cluster-withheld">${ct.cluster.withheld}</p>`;
  const dateFormat = new Intl.DateTimeFormat(t.locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' });
  const wijkNames = new Map(view.wijken.map((w) => [w.code, w.name]));
  const timeRows: FigureRow[] = view.timeline.map((b) => ({ label: dateFormat.format(new Date(`${b.key}T00:00:00Z`)), signals: b.signals, residents: b.residents }));
  const wijkRows: FigureRow[] = s.wijken.map((w) => ({ label: w.code === '' ? ct.clusters.notPlaced : (wijkNames.get(w.code) ?? w.code), signals: w.signals, residents: w.residents }));
  const fact = (term: string, value: string, id: string) => html`<div class="cluster-facts__item"><dt>${term}</dt><dd id="${id}">${value}</dd></div>`;
  const total = view.signals.length < s.signals ? html`<p class="utrecht-paragraph">${ct.cluster.shown(view.signals.length, s.signals)}</p>` : '';
  return html`
    <section aria-labelledby="facts-heading">
      <h2 class="utrecht-heading-2" id="facts-heading">${ct.cluster.facts}</h2>
      <dl class="cluster-facts">
        ${fact(c.residents, countText(shown(s.residents, s.residents), t.locale), 'fact-residents')}
        ${fact(c.signals, countText(shown(s.signals, s.residents), t.locale), 'fact-signals')}
        ${fact(c.trend, trendText(s, ct), 'fact-trend')}
        ${fact(c.domains, s.domains.map((d) => t.domainLabels[d.key] ?? d.key).join(', '), 'fact-domains')}
        ${fact(c.clients, shareText(s.clients, s.residents, t.locale, ct), 'fact-clients')}
        ${fact(c.carers, shareText(s.carers, s.residents, t.locale, ct), 'fact-carers')}
        ${fact(c.sentiment, sentimentText(s.sentiment, t.locale, ct), 'fact-sentiment')}
      </dl>
      <p class="utrecht-paragraph">${t.suppressed}</p>
    </section>
    <section aria-labelledby="timeline-heading" class="report-block">
      <h2 class="utrecht-heading-2" id="timeline-heading">${ct.cluster.timeline}</h2>
      ${barChart({ id: 'cluster-timeline', label: ct.cluster.chartLabel, rows: timeRows, locale: t.locale })}
      ${figuresTable({ caption: ct.cluster.timeline, labelHeader: ct.cluster.week, signalsHeader: c.signals, residentsHeader: c.residents, rows: timeRows, locale: t.locale, captionHidden: true })}
    </section>
    <section aria-labelledby="where-heading" class="report-block">
      <h2 class="utrecht-heading-2" id="where-heading">${ct.cluster.where}</h2>
      ${figuresTable({ caption: ct.cluster.where, labelHeader: ct.cluster.wijk, signalsHeader: c.signals, residentsHeader: c.residents, rows: wijkRows, locale: t.locale, captionHidden: true })}
    </section>
    <section aria-labelledby="signals-heading">
      <h2 class="utrecht-heading-2" id="signals-heading">${ct.cluster.signalsHeading}</h2>
      <p class="utrecht-paragraph">${ct.cluster.signalsIntro}</p>
      ${total}
      <ol class="cluster-signals">
        ${view.signals.map(
          (signal) => html`<li class="cluster-signal">
            <p class="cluster-signal__meta"><time datetime="${signal.received_at.toISOString()}">${dateTime.format(signal.received_at)}</time>, ${t.sources[signal.source]}${report ? '' : html`, ${signal.reference}`}</p>
            <blockquote class="utrecht-blockquote signal-text"${signal.language && signal.language !== 'und' && signal.language !== ctx.lang ? html` lang="${signal.language}"` : ''}>${signal.text_redacted}</blockquote>
          </li>`,
        )}
      </ol>
    </section>`;
}

/** The filters in words ("Wijk: Zaandam-Centrum; Leeftijd: 15 tot 25"), or '' without filters. */
function filtersText(ctx: ViewContext, view: ClusterView): string {
  const { t } = ctx;
  const names = t.filters.names;
  const f = view.filter;
  return (
    [
      [names.van, f.from],
      [names.tot, f.to],
      [names.domein, f.domain === undefined ? undefined : (t.domainLabels[f.domain] ?? f.domain)],
      [names.wijk, f.wijk === undefined ? undefined : (view.wijken.find((w) => w.code === f.wijk)?.name ?? f.wijk)],
      [names.bron, f.source === undefined ? undefined : t.sources[f.source]],
      [names.rol, f.role === undefined ? undefined : t.notes.residentRoles[f.role]],
      [names.leeftijd, f.ageBand === undefined ? undefined : t.notes.ageBands[f.ageBand]],
      [names.taal, f.language],
    ] as const
  )
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v ?? ''}`)
    .join('; ');
}

export function clusterPage(ctx: ViewContext, view: ClusterView): Html {
  const ct = clusterTexts(ctx.lang);
  const query = filterQuery(view.filter);
  return dashboardPage(ctx, {
    title: ct.cluster.heading(view.label),
    section: 'clusters',
    filterQuery: query,
    body: html`
      <p class="utrecht-paragraph no-print"><a class="utrecht-link" href="/dashboard/clusters${query}">${ct.cluster.back}</a></p>
      <h1 class="utrecht-heading-1">${ct.cluster.heading(view.label)}</h1>
      <p class="utrecht-paragraph">${ct.cluster.labelNote}</p>
      ${filtersText(ctx, view) === '' ? '' : html`<p class="utrecht-paragraph" id="cluster-filters">${ct.report.filters}: ${filtersText(ctx, view)}</p>`}
      ${view.visible ? html`<p class="utrecht-paragraph no-print"><a class="utrecht-link" id="report-link" href="/dashboard/clusters/${encodeURIComponent(view.id)}/rapport${query}">${ct.cluster.report}</a></p>` : ''}
      ${view.visible && (ctx.user.role === 'council' || ctx.user.role === 'admin') ? html`<p class="utrecht-paragraph no-print"><a class="utrecht-link" id="invite-link" href="/dashboard/peilingen/uitnodiging?cluster=${encodeURIComponent(view.id)}">${tableTextsFor(ctx.lang).newInvitation}</a></p>` : ''}
      ${body(ctx, view, false)}`,
  });
}

/** The printable report: the same content without the filter form or links, with the date and the filters used. */
export function clusterReportPage(ctx: ViewContext, view: ClusterView, now = new Date()): Html {
  const { t } = ctx;
  const ct = clusterTexts(ctx.lang);
  const query = filterQuery(view.filter);
  const date = new Intl.DateTimeFormat(t.locale, { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(now);
  return dashboardPage(ctx, {
    title: ct.report.title(view.label),
    section: 'clusters',
    filterQuery: query,
    body: html`<article class="cluster-report">
      <p class="utrecht-paragraph no-print"><a class="utrecht-link" href="/dashboard/clusters/${encodeURIComponent(view.id)}${query}">${ct.report.back}</a></p>
      <p class="utrecht-paragraph no-print" id="print-hint">${ct.report.print}</p>
      <h1 class="utrecht-heading-1">${ct.report.title(view.label)}</h1>
      <p class="utrecht-paragraph">${ct.report.intro(date)} ${ct.cluster.labelNote}</p>
      <p class="utrecht-paragraph" id="report-filters">${ct.report.filters}: ${filtersText(ctx, view) || ct.report.noFilters}</p>
      ${body(ctx, view, true)}
    </article>`,
  });
}
