import { html } from 'hono/html';
import type { Municipality } from '../../db/database.ts';
import type { FilteredSignal } from '../../db/repositories/dashboard-stats.ts';
import type { Html } from '../../app/http/layout.ts';
import type { ViewContext } from './shell.ts';

/** The latest signals, redacted text only, newest first; a table that becomes cards on a phone. */
export function signalsTable(ctx: ViewContext, options: { municipalities: readonly Municipality[]; signals: readonly FilteredSignal[] }): Html {
  const { t } = ctx;
  const names = new Map(options.municipalities.map((m) => [m.code, m.name]));
  const several = options.municipalities.length > 1;
  const dateTime = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
  const c = t.signals.columns;
  if (options.signals.length === 0) return html`<p class="utrecht-paragraph">${t.signals.none}</p>`;
  return html`<table class="utrecht-table utrecht-table--html-table signals">
    <caption class="utrecht-table__caption visually-hidden">${t.signals.caption}</caption>
    <thead class="utrecht-table__header"><tr class="utrecht-table__row">
      <th scope="col" class="utrecht-table__header-cell">${c.received}</th>${several ? html`<th scope="col" class="utrecht-table__header-cell">${c.municipality}</th>` : ''}
      <th scope="col" class="utrecht-table__header-cell">${c.source}</th><th scope="col" class="utrecht-table__header-cell">${c.status}</th>
      <th scope="col" class="utrecht-table__header-cell">${c.reference}</th><th scope="col" class="utrecht-table__header-cell">${c.text}</th>
    </tr></thead>
    <tbody class="utrecht-table__body">
      ${options.signals.map(
        (s) => html`<tr class="utrecht-table__row">
          <td class="utrecht-table__cell" data-label="${c.received}"><time datetime="${s.received_at.toISOString()}">${dateTime.format(s.received_at)}</time></td>
          ${several ? html`<td class="utrecht-table__cell" data-label="${c.municipality}">${names.get(s.municipality_code) ?? s.municipality_code}</td>` : ''}
          <td class="utrecht-table__cell" data-label="${c.source}">${t.sources[s.source]}</td>
          <td class="utrecht-table__cell" data-label="${c.status}">${t.statuses[s.status]}${s.urgent ? html` <strong class="urgent">${t.signals.urgent}</strong>` : ''}</td>
          <td class="utrecht-table__cell" data-label="${c.reference}">${s.reference}</td>
          <td class="utrecht-table__cell signal-text" data-label="${c.text}">${s.text_redacted ?? html`<em>${t.signals.waiting}</em>`}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
