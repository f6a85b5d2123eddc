/**
 * The map (/dashboard/kaart). Without imported boundaries: a tile per wijk (a list, so a screen reader reads it in
 * order), each with its name and signals per 1,000 inhabitants as text and a colour class. With boundaries: a
 * choropleth drawn as inline SVG on the server, a legend in text, and a table with the same figures. Colour is never
 * the only carrier: every colour has its figure or its words next to it. Areas of 1 to 4 residents are hatched and
 * say "< 5"; their rate is not shown either (with the population it would give the count away).
 */
import { html } from 'hono/html';
import type { BoundaryLevel, Municipality, MultiPolygonCoordinates, Wijk } from '../../db/database.ts';
import type { DashboardFilter } from '../../db/repositories/dashboard-stats.ts';
import type { Html } from '../../app/http/layout.ts';
import { filterQuery } from '../filters.ts';
import { countText, shown } from '../suppression.ts';
import { clusterTexts, type ClusterTexts } from './clusters-texts.ts';
import { filterForm } from './filter-form.ts';
import { classKey, projectOutlines, type Classes, type RatedArea } from './map-svg.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

export interface MapView {
  municipalities: readonly Municipality[];
  wijken: readonly Wijk[];
  filter: DashboardFilter;
  filterError?: string | undefined;
  level: BoundaryLevel;
  /** Levels with imported boundaries; empty: the tile map. */
  levels: readonly BoundaryLevel[];
  areas: readonly RatedArea[];
  classes: Classes;
  outlines: ReadonlyMap<string, MultiPolygonCoordinates>;
}

function rateText(area: RatedArea, locale: string, mt: ClusterTexts['map']): string {
  if (area.areaClass.kind === 'suppressed') return countText({ suppressed: true }, locale);
  if (area.rate === undefined) return mt.noPopulation;
  return mt.perThousand(new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(area.rate));
}

/** The words for an area's colour, so the colour is never the only sign. */
function classWords(area: RatedArea, mt: ClusterTexts['map']): string {
  const c = area.areaClass;
  if (c.kind === 'class') return mt.classes[c.index] ?? '';
  if (c.kind === 'zero') return mt.noData;
  if (c.kind === 'suppressed') return mt.suppressedLegend;
  return mt.noPopulation;
}

function legend(ctx: ViewContext, classes: Classes, mt: ClusterTexts['map']): Html {
  const number = new Intl.NumberFormat(ctx.t.locale, { maximumFractionDigits: 1 });
  const items: [string, string][] = [
    ['zero', `0 (${mt.noData})`],
    ...classes.bounds.map((b, i): [string, string] => [`c${i}`, `${i === 0 ? `> 0` : `> ${number.format(classes.bounds[i - 1] ?? 0)}`} – ${number.format(b)} (${mt.classes[i] ?? ''})`]),
    ['suppressed', `< 5: ${mt.suppressedLegend}`],
    ['no-population', mt.noPopulation],
  ];
  return html`<div class="map-legend">
    <p class="map-legend__title" id="map-legend-title">${mt.legend}</p>
    <ul class="map-legend__list" aria-labelledby="map-legend-title">
      ${items.map(([key, text]) => html`<li class="map-legend__item"><span class="map-swatch map-fill--${key}" aria-hidden="true"></span> ${text}</li>`)}
    </ul>
  </div>`;
}

function tiles(ctx: ViewContext, view: MapView, mt: ClusterTexts['map']): Html {
  return html`<ul class="map-tiles" aria-label="${mt.tilesLabel}">
    ${view.areas.map(
      (a) => html`<li class="map-tile map-fill--${classKey(a.areaClass)}" data-code="${a.code}">
        <a class="map-tile__name" href="/dashboard${filterQuery({ ...view.filter, wijk: a.code })}">${a.name}</a>
        <span class="map-tile__rate">${rateText(a, ctx.t.locale, mt)}</span>
        <span class="map-tile__class">${classWords(a, mt)}</span>
        <span class="map-tile__count">${mt.signals}: ${countText(shown(a.signals, a.residents), ctx.t.locale)}</span>
      </li>`,
    )}
  </ul>`;
}

function choropleth(ctx: ViewContext, view: MapView, mt: ClusterTexts['map']): Html {
  const levelName = mt.levels[view.level];
  const projected = projectOutlines(view.outlines);
  const byCode = new Map(view.areas.map((a) => [a.code, a]));
  return html`<figure class="map" aria-labelledby="map-title">
    <figcaption class="chart__caption" id="map-title">${mt.chartLabel(levelName)}</figcaption>
    <svg class="map__svg" viewBox="0 0 ${projected.width} ${projected.height}" role="img" aria-labelledby="map-title" focusable="false">
      <defs>
        <pattern id="map-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
          <rect class="map-hatch__bg" width="6" height="6"></rect><line class="map-hatch__line" x1="0" y1="0" x2="0" y2="6"></line>
        </pattern>
      </defs>
      ${[...projected.paths].map(([code, d]) => {
        const area = byCode.get(code);
        if (!area) return '';
        return html`<path class="map-area map-fill--${classKey(area.areaClass)}" data-code="${code}" d="${d}" fill-rule="evenodd"><title>${area.name}: ${rateText(area, ctx.t.locale, mt)}</title></path>`;
      })}
    </svg>
  </figure>`;
}

function figuresTable(ctx: ViewContext, view: MapView, mt: ClusterTexts['map']): Html {
  const locale = ctx.t.locale;
  const number = new Intl.NumberFormat(locale);
  return html`<table class="utrecht-table utrecht-table--html-table figures map-table">
    <caption class="utrecht-table__caption">${mt.tableCaption(mt.levels[view.level])}</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row">
      <th scope="col" class="utrecht-table__header-cell">${mt.area[view.level]}</th>
      <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${mt.signals}</th>
      <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${mt.residents}</th>
      <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${mt.population}</th>
      <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${mt.rate}</th>
    </tr></thead>
    <tbody class="utrecht-table__body">
      ${view.areas.map(
        (a) => html`<tr class="utrecht-table__row">
          <th scope="row" class="utrecht-table__header-cell">${a.name}</th>
          <td class="utrecht-table__cell utrecht-table__cell--numeric">${countText(shown(a.signals, a.residents), locale)}</td>
          <td class="utrecht-table__cell utrecht-table__cell--numeric">${countText(shown(a.residents, a.residents), locale)}</td>
          <td class="utrecht-table__cell utrecht-table__cell--numeric">${a.population === null ? mt.noPopulation : number.format(a.population)}</td>
          <td class="utrecht-table__cell utrecht-table__cell--numeric">${a.areaClass.kind === 'suppressed' ? countText({ suppressed: true }, locale) : a.rate === undefined ? mt.noPopulation : new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(a.rate)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

export function mapPage(ctx: ViewContext, view: MapView): Html {
  const mt = clusterTexts(ctx.lang).map;
  const names = view.municipalities.map((m) => m.name).join(', ');
  const query = filterQuery(view.filter);
  const choices: BoundaryLevel[] = [...new Set<BoundaryLevel>(['wijk', ...view.levels])];
  const levelLinks =
    choices.length > 1
      ? html`<nav class="map-levels" aria-label="${mt.level}"><ul class="utrecht-unordered-list">
          ${choices.map((l) => {
            const sep = query === '' ? '?' : '&';
            return html`<li class="utrecht-unordered-list__item"><a class="utrecht-link" href="/dashboard/kaart${query}${sep}niveau=${l}"${l === view.level ? html` aria-current="page"` : ''}>${mt.levels[l]}</a></li>`;
          })}
        </ul></nav>`
      : '';
  const content = (): Html | '' => {
    if (view.filterError) return '';
    const drawn = view.levels.includes(view.level) && view.outlines.size > 0;
    return html`${levelLinks} ${drawn ? '' : html`<p class="utrecht-paragraph" id="map-tiles-note">${mt.tilesNote}</p>`}
      <p class="utrecht-paragraph">${ctx.t.suppressed}</p>
      ${drawn ? choropleth(ctx, view, mt) : tiles(ctx, view, mt)}
      ${legend(ctx, view.classes, mt)}
      ${figuresTable(ctx, view, mt)}`;
  };
  return dashboardPage(ctx, {
    title: mt.title,
    section: 'map',
    filterQuery: query,
    body: html`
      <h1 class="utrecht-heading-1">${mt.heading(names)}</h1>
      <p class="utrecht-paragraph">${mt.intro}</p>
      ${filterForm(ctx, { action: '/dashboard/kaart', filter: view.filter, wijken: view.wijken, error: view.filterError })}
      ${content()}`,
  });
}
