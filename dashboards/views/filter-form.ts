/** The filter form every figures view shows (GET, so the filters live in the query string and in links). */
import { html } from 'hono/html';
import type { Wijk } from '../../db/database.ts';
import type { DashboardFilter } from '../../db/repositories/dashboard-stats.ts';
import { signalSources } from '../../db/tables/common.ts';
import { signalStatuses } from '../../db/tables/signal.table.ts';
import { defaultDomainKeys } from '../../pipeline/taxonomy.ts';
import type { Html } from '../../app/http/layout.ts';
import { ageBands, residentRoles } from './notes.ts';
import type { ViewContext } from './shell.ts';

export function filterForm(ctx: ViewContext, options: { action: string; filter: DashboardFilter; wijken: readonly Wijk[]; error?: string | undefined; withStatus?: boolean }): Html {
  const { t } = ctx;
  const f = options.filter;
  const n = t.filters.names;
  const described = options.error ? html` aria-describedby="filter-error"` : '';
  const select = (id: string, name: string, label: string, current: string | undefined, choices: readonly { value: string; label: string }[]) =>
    html`<div class="utrecht-form-field">
      <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${label}</label></div>
      <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="${id}" name="${name}"${described}>
        <option value="">${t.filters.any}</option>
        ${choices.map((c) => html`<option value="${c.value}"${current === c.value ? ' selected' : ''}>${c.label}</option>`)}
      </select></div>
    </div>`;
  const date = (id: string, name: string, label: string, current: string | undefined) =>
    html`<div class="utrecht-form-field">
      <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${label}</label></div>
      <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" type="date" id="${id}" name="${name}" value="${current ?? ''}"${described}></div>
    </div>`;
  return html`<form method="get" action="${options.action}" class="filter-form" aria-label="${t.filters.legend}">
    ${options.error
      ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><p class="utrecht-alert__message" id="filter-error">${options.error}</p></div></div>`
      : ''}
    ${date('filter-from', 'van', n.van, f.from)} ${date('filter-to', 'tot', n.tot, f.to)}
    ${select('filter-domain', 'domein', n.domein, f.domain, defaultDomainKeys.map((k) => ({ value: k, label: t.domainLabels[k] ?? k })))}
    ${select('filter-wijk', 'wijk', n.wijk, f.wijk, options.wijken.map((w) => ({ value: w.code, label: w.name })))}
    ${select('filter-source', 'bron', n.bron, f.source, signalSources.map((s) => ({ value: s, label: t.sources[s] })))}
    ${select('filter-role', 'rol', n.rol, f.role, residentRoles.map((r) => ({ value: r, label: t.notes.residentRoles[r] })))}
    ${select('filter-age', 'leeftijd', n.leeftijd, f.ageBand, ageBands.map((b) => ({ value: b, label: t.notes.ageBands[b] })))}
    <div class="utrecht-form-field">
      <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="filter-language">${n.taal}</label></div>
      <p class="utrecht-form-field-description" id="filter-language-hint">${t.filters.languageHint}</p>
      <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input filter-form__short" type="text" id="filter-language" name="taal" value="${f.language ?? ''}" aria-describedby="filter-language-hint${options.error ? ' filter-error' : ''}" autocomplete="off" size="4"></div>
    </div>
    ${options.withStatus ? select('filter-status', 'status', n.status, f.status, signalStatuses.map((s) => ({ value: s, label: t.statuses[s] }))) : ''}
    <div class="utrecht-button-group">
      <button type="submit" class="utrecht-button utrecht-button--secondary-action">${t.filters.apply}</button>
      <a class="utrecht-link filter-form__reset" href="${options.action}">${t.filters.reset}</a>
    </div>
  </form>`;
}
