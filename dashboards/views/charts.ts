/**
 * Figures as accessible markup: an SVG bar chart (role="img" with a label; no inline style or script, only CSS
 * classes, for the CSP) always followed by a table with the same figures. Suppressed groups get no bar and "< 5".
 */
import { html } from 'hono/html';
import type { Html } from '../../app/http/layout.ts';
import { countText, shown, type Shown } from '../suppression.ts';

export interface FigureRow {
  label: string;
  /** A link for the label (e.g. the same view filtered on this row). */
  href?: string | undefined;
  signals: number;
  residents: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 20, bottom: 40, left: 8, right: 8 };

/** A vertical bar chart of signals per row; an empty chart is not drawn. */
export function barChart(options: { id: string; label: string; rows: readonly FigureRow[]; locale: string }): Html | '' {
  const { rows } = options;
  if (rows.length === 0) return '';
  const figures = rows.map((r) => shown(r.signals, r.residents));
  const max = Math.max(1, ...figures.map((f) => (f.suppressed ? 0 : f.value)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / rows.length;
  const barW = Math.max(2, slot * 0.7);
  // Label at most about 12 bars on the axis, so the labels do not overlap.
  const labelEvery = Math.max(1, Math.ceil(rows.length / 12));
  return html`<figure class="chart" aria-labelledby="${options.id}-title">
    <figcaption id="${options.id}-title" class="chart__caption">${options.label}</figcaption>
    <svg class="chart__svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${options.id}-title" focusable="false">
      <line class="chart__axis" x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}"></line>
      ${rows.map((row, i) => {
        const figure = figures[i] as Shown;
        const x = PAD.left + i * slot + (slot - barW) / 2;
        const cx = (x + barW / 2).toFixed(1);
        const h = figure.suppressed ? 0 : (figure.value / max) * plotH;
        const y = HEIGHT - PAD.bottom - h;
        const text = countText(figure, options.locale);
        return html`<g>
          ${figure.suppressed ? '' : html`<rect class="chart__bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"></rect>`}
          ${rows.length <= 26 ? html`<text class="chart__value" x="${cx}" y="${(y - 4).toFixed(1)}" text-anchor="middle">${text}</text>` : ''}
          ${i % labelEvery === 0 ? html`<text class="chart__label" x="${cx}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${row.label}</text>` : ''}
        </g>`;
      })}
    </svg>
  </figure>`;
}

/** The table of a figure: label, signals and residents, each suppressed under five residents. */
export function figuresTable(options: { caption: string; labelHeader: string; signalsHeader: string; residentsHeader: string; rows: readonly FigureRow[]; locale: string; captionHidden?: boolean }): Html {
  return html`<table class="utrecht-table utrecht-table--html-table figures">
    <caption class="utrecht-table__caption${options.captionHidden ? ' visually-hidden' : ''}">${options.caption}</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row">
      <th scope="col" class="utrecht-table__header-cell">${options.labelHeader}</th>
      <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${options.signalsHeader}</th>
      <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${options.residentsHeader}</th>
    </tr></thead>
    <tbody class="utrecht-table__body">
      ${options.rows.map(
        (r) => html`<tr class="utrecht-table__row">
          <th scope="row" class="utrecht-table__header-cell">${r.href ? html`<a class="utrecht-link" href="${r.href}">${r.label}</a>` : r.label}</th>
          <td class="utrecht-table__cell utrecht-table__cell--numeric">${countText(shown(r.signals, r.residents), options.locale)}</td>
          <td class="utrecht-table__cell utrecht-table__cell--numeric">${countText(shown(r.residents, r.residents), options.locale)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
