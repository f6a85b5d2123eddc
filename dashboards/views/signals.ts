import { html } from 'hono/html';
import type { Municipality, SignalSource, SignalStatus } from '../../db/database.ts';
import { signalSources } from '../../db/tables/common.ts';
import { signalStatuses } from '../../db/tables/signal.table.ts';
import type { SignalListItem } from '../../db/repositories/signals.ts';
import type { Html } from '../../app/http/layout.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

export interface SignalFilter {
  source?: SignalSource | undefined;
  status?: SignalStatus | undefined;
}

export function signalsPage(
  ctx: ViewContext,
  options: { municipalities: Municipality[]; signals: SignalListItem[]; filter: SignalFilter; filterError?: string | undefined },
): Html {
  const { t } = ctx;
  const names = new Map(options.municipalities.map((m) => [m.code, m.name]));
  const several = options.municipalities.length > 1;
  const dateTime = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
  const c = t.signals.columns;
  return dashboardPage(ctx, {
    title: t.signals.title,
    section: 'signals',
    body: html`
      <h1 class="utrecht-heading-1">${t.signals.heading(options.municipalities.map((m) => m.name).join(', '))}</h1>
      <p class="utrecht-paragraph">${t.signals.intro}</p>
      <form method="get" action="/dashboard" class="filter-form">
        ${options.filterError
          ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><p class="utrecht-alert__message" id="filter-error">${options.filterError}</p></div></div>`
          : ''}
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="filter-source">${c.source}</label></div>
          <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="filter-source" name="bron"${options.filterError ? html` aria-describedby="filter-error"` : ''}>
            <option value="">${t.signals.anySource}</option>
            ${signalSources.map((s) => html`<option value="${s}"${options.filter.source === s ? ' selected' : ''}>${t.sources[s]}</option>`)}
          </select></div>
        </div>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="filter-status">${c.status}</label></div>
          <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="filter-status" name="status"${options.filterError ? html` aria-describedby="filter-error"` : ''}>
            <option value="">${t.signals.anyStatus}</option>
            ${signalStatuses.map((s) => html`<option value="${s}"${options.filter.status === s ? ' selected' : ''}>${t.statuses[s]}</option>`)}
          </select></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--secondary-action">${t.signals.filter}</button>
      </form>
      ${options.signals.length === 0
        ? html`<p class="utrecht-paragraph">${t.signals.none}</p>`
        : html`<table class="utrecht-table utrecht-table--html-table signals">
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
          </table>`}`,
  });
}
