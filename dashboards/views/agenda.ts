/**
 * The agenda views: the list per municipality (region users: the region's side by side) with the form that puts
 * clusters on the agenda, and one item with its status form, notes, history and feedback delivery figures.
 */
import { html } from 'hono/html';
import type { AgendaStatus, Cluster, Municipality } from '../../db/database.ts';
import type { AgendaHistoryEntry, AgendaListItem } from '../../db/repositories/agenda.ts';
import type { DeliveryCounts, DeliveryState } from '../../db/repositories/feedback.ts';
import { nextStatuses } from '../../pipeline/loop/status.ts';
import type { Html } from '../../app/http/layout.ts';
import { countText, shown } from '../suppression.ts';
import { agendaTextsFor } from './agenda-texts.ts';
import { alertOk, errorSummary, fieldError, type FieldErrors } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

export interface AgendaFormValues {
  title: string;
  description: string;
  clusters: readonly string[];
}

export function agendaListPage(
  ctx: ViewContext,
  options: {
    groups: readonly { municipality: Municipality; items: readonly AgendaListItem[] }[];
    canEdit: boolean;
    isAdmin: boolean;
    clusters: readonly Cluster[];
    publicOn: boolean;
    publicPath: string;
    errors?: FieldErrors;
    values?: AgendaFormValues;
  },
): Html {
  const a = agendaTextsFor(ctx.lang);
  const errors = options.errors ?? new Map<string, string>();
  const values = options.values ?? { title: '', description: '', clusters: [] };
  const date = new Intl.DateTimeFormat(ctx.t.locale, { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' });
  const side = options.groups.length > 1;
  const list = (group: { municipality: Municipality; items: readonly AgendaListItem[] }): Html => {
    const id = `agenda-${group.municipality.code}`;
    return html`<section class="agenda-group" aria-labelledby="${id}-heading">
      <h2 class="utrecht-heading-2" id="${id}-heading">${group.municipality.name}</h2>
      ${group.items.length === 0
        ? html`<p class="utrecht-paragraph">${a.none}</p>`
        : html`<table class="utrecht-table utrecht-table--html-table" id="${id}">
            <caption class="utrecht-table__caption visually-hidden">${a.heading}: ${group.municipality.name}</caption>
            <thead class="utrecht-table__header"><tr class="utrecht-table__row">
              <th scope="col" class="utrecht-table__header-cell">${a.columns.title}</th>
              <th scope="col" class="utrecht-table__header-cell">${a.columns.status}</th>
              <th scope="col" class="utrecht-table__header-cell">${a.columns.clusters}</th>
              <th scope="col" class="utrecht-table__header-cell">${a.columns.updated}</th>
            </tr></thead>
            <tbody class="utrecht-table__body">
              ${group.items.map(
                (item) => html`<tr class="utrecht-table__row" data-item="${item.id}">
                  <th scope="row" class="utrecht-table__header-cell"><a class="utrecht-link" href="/dashboard/agenda/${item.id}">${item.title}</a></th>
                  <td class="utrecht-table__cell" data-status="${item.status}">${a.status[item.status]}</td>
                  <td class="utrecht-table__cell">${item.clusters.map((c) => c.label).join(', ')}</td>
                  <td class="utrecht-table__cell"><time datetime="${item.updated_at.toISOString()}">${date.format(item.updated_at)}</time></td>
                </tr>`,
              )}
            </tbody>
          </table>`}
    </section>`;
  };
  const title = fieldError('agenda-title', errors.get('title'));
  const description = fieldError('agenda-description', errors.get('description'));
  const clusters = fieldError('agenda-clusters', errors.get('clusters'));
  const form = html`<section aria-labelledby="create-heading" class="agenda-create">
    <h2 class="utrecht-heading-2" id="create-heading">${a.create.heading}</h2>
    <p class="utrecht-paragraph">${a.create.intro}</p>
    ${errorSummary(ctx.t.errorSummary, errors, (field) => `agenda-${field}`)}
    ${options.clusters.length === 0
      ? html`<p class="utrecht-paragraph" id="no-clusters">${a.create.noClusters}</p>`
      : html`<form method="post" action="/dashboard/agenda" id="agenda-create">
          <input type="hidden" name="csrf" value="${ctx.csrfToken}">
          <fieldset class="utrecht-form-fieldset${clusters.invalid}" id="agenda-clusters"${errors.has('clusters') ? html` aria-describedby="agenda-clusters-error"` : ''}>
            <legend class="utrecht-form-fieldset__legend">${a.create.clusters}</legend>
            ${clusters.message}
            ${options.clusters.map(
              (c) => html`<div class="utrecht-form-field utrecht-form-field--checkbox">
                <input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" name="cluster" value="${c.id}" id="cl-${c.id}"${values.clusters.includes(c.id) ? ' checked' : ''}>
                <label class="utrecht-form-label utrecht-form-label--checkbox" for="cl-${c.id}">${c.label} (${ctx.t.domainLabels[c.domain_key] ?? c.domain_key}; ${a.create.residents(countText(shown(c.resident_count, c.resident_count), ctx.t.locale))})</label>
              </div>`,
            )}
          </fieldset>
          <div class="utrecht-form-field${title.invalid}">
            <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="agenda-title">${a.create.title}</label></div>
            ${title.message}
            <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="agenda-title" name="title" type="text" maxlength="200" required value="${values.title}"${title.attrs}></div>
          </div>
          <div class="utrecht-form-field${description.invalid}">
            <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="agenda-description">${a.create.description}</label></div>
            ${description.message}
            <div class="utrecht-form-field__input"><textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="agenda-description" name="description" rows="3" maxlength="2000"${description.attrs}>${values.description}</textarea></div>
          </div>
          <button type="submit" class="utrecht-button utrecht-button--primary-action">${a.create.submit}</button>
        </form>`}
  </section>`;
  const publicSetting = html`<section aria-labelledby="public-heading" class="agenda-public">
    <h2 class="utrecht-heading-2" id="public-heading">${a.publicSetting.heading}</h2>
    ${options.publicOn
      ? html`<p class="utrecht-paragraph" id="public-state">${a.publicSetting.on} <a class="utrecht-link" href="${options.publicPath}">${options.publicPath}</a></p>`
      : html`<p class="utrecht-paragraph" id="public-state">${a.publicSetting.off}</p>`}
    <form method="post" action="/dashboard/agenda/publiek">
      <input type="hidden" name="csrf" value="${ctx.csrfToken}">
      <input type="hidden" name="public" value="${options.publicOn ? 'off' : 'on'}">
      <button type="submit" class="utrecht-button utrecht-button--secondary-action">${options.publicOn ? a.publicSetting.turnOff : a.publicSetting.turnOn}</button>
    </form>
  </section>`;
  return dashboardPage(ctx, {
    title: a.title,
    section: 'agenda',
    body: html`
      <h1 class="utrecht-heading-1">${a.heading}</h1>
      <p class="utrecht-paragraph">${side ? a.regionIntro : a.intro}</p>
      ${options.canEdit ? '' : html`<p class="utrecht-paragraph" id="read-only">${a.readOnly}</p>`}
      <div class="${side ? 'agenda-side-by-side' : ''}">${options.groups.map(list)}</div>
      ${options.canEdit ? form : ''}
      ${options.isAdmin ? publicSetting : ''}`,
  });
}

export interface StatusFormValues {
  to: string;
  advice: string;
  decision: string;
  feedbackNl: string;
  feedbackEn: string;
}

export function agendaItemPage(
  ctx: ViewContext,
  options: {
    item: AgendaListItem;
    municipalityName: string;
    history: readonly AgendaHistoryEntry[];
    delivery: DeliveryCounts;
    canEdit: boolean;
    saved?: boolean;
    errors?: FieldErrors;
    values?: StatusFormValues;
    noteError?: string;
  },
): Html {
  const a = agendaTextsFor(ctx.lang);
  const { item } = options;
  const errors = options.errors ?? new Map<string, string>();
  const values = options.values ?? { to: '', advice: item.advice ?? '', decision: item.decision ?? '', feedbackNl: item.feedback_nl ?? '', feedbackEn: item.feedback_en ?? '' };
  const dateTime = new Intl.DateTimeFormat(ctx.t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
  const text = (value: string | null) => (value === null || value.trim() === '' ? html`<p class="utrecht-paragraph"><em>${a.item.notSet}</em></p>` : html`<p class="utrecht-paragraph agenda-text">${value}</p>`);
  const next = nextStatuses(item.status);
  const area = (name: keyof StatusFormValues, label: string, max: number, hint?: string) => {
    const id = `status-${name}`;
    const f = fieldError(id, errors.get(name));
    const hintId = hint ? `${id}-hint` : undefined;
    return html`<div class="utrecht-form-field${f.invalid}">
      <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${label}</label></div>
      ${hint ? html`<p class="utrecht-form-field-description" id="${hintId}">${hint}</p>` : ''}
      ${f.message}
      <div class="utrecht-form-field__input"><textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="${id}" name="${name}" rows="3" maxlength="${max}"${hint && !errors.has(name) ? html` aria-describedby="${hintId}"` : ''}${f.attrs}>${values[name]}</textarea></div>
    </div>`;
  };
  const toField = fieldError('status-to', errors.get('to'));
  const statusForm = html`<section aria-labelledby="change-heading">
    <h2 class="utrecht-heading-2" id="change-heading">${a.item.change}</h2>
    <p class="utrecht-paragraph">${a.item.changeHint}</p>
    ${errorSummary(ctx.t.errorSummary, errors, (field) => `status-${field}`)}
    <form method="post" action="/dashboard/agenda/${item.id}/status" id="status-form">
      <input type="hidden" name="csrf" value="${ctx.csrfToken}">
      <input type="hidden" name="from" value="${item.status}">
      <div class="utrecht-form-field${toField.invalid}">
        <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="status-to">${a.item.to}</label></div>
        ${toField.message}
        <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="status-to" name="to"${toField.attrs}>
          ${next.map((s: AgendaStatus) => html`<option value="${s}"${values.to === s ? ' selected' : ''}>${a.status[s]}</option>`)}
        </select></div>
      </div>
      ${area('advice', a.item.advice, 4000)}
      ${area('decision', a.item.decision, 4000)}
      ${area('feedbackNl', a.item.feedbackNl, 1000, a.item.feedbackHint)}
      ${area('feedbackEn', a.item.feedbackEn, 1000)}
      <button type="submit" class="utrecht-button utrecht-button--primary-action">${a.item.submit}</button>
    </form>
  </section>`;
  const noteField = fieldError('note-text', options.noteError);
  const noteForm = html`<form method="post" action="/dashboard/agenda/${item.id}/notities" id="note-form">
    <input type="hidden" name="csrf" value="${ctx.csrfToken}">
    <div class="utrecht-form-field${noteField.invalid}">
      <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="note-text">${a.item.note}</label></div>
      ${noteField.message}
      <div class="utrecht-form-field__input"><textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="note-text" name="note" rows="3" maxlength="2000"${noteField.attrs}></textarea></div>
    </div>
    <button type="submit" class="utrecht-button utrecht-button--secondary-action">${a.item.addNote}</button>
  </form>`;
  const who = (e: AgendaHistoryEntry) => a.item.by(e.actor_email ?? a.item.unknownUser);
  const event = (e: AgendaHistoryEntry): Html => {
    const when = html`<time datetime="${e.at.toISOString()}">${dateTime.format(e.at)}</time>`;
    if (e.kind === 'note') return html`<li class="agenda-event agenda-event--note">${when}, ${who(e)}: <strong>${a.item.noteAdded}</strong><p class="utrecht-paragraph agenda-text">${e.note ?? ''}</p></li>`;
    if (e.kind === 'created') return html`<li class="agenda-event">${when}, ${who(e)}: ${a.item.created}</li>`;
    const from = e.from_status ? a.status[e.from_status] : '';
    const to = e.to_status ? a.status[e.to_status] : '';
    return html`<li class="agenda-event" data-to="${e.to_status ?? ''}">${when}, ${who(e)}: ${a.item.statusChanged(from, to)}</li>`;
  };
  const d = options.delivery;
  const states: DeliveryState[] = ['queued', 'sent', 'delivered', 'read', 'failed', 'withdrawn'];
  const delivery = html`<section aria-labelledby="delivery-heading">
    <h2 class="utrecht-heading-2" id="delivery-heading">${a.item.delivery}</h2>
    ${d.total === 0
      ? html`<p class="utrecht-paragraph" id="delivery-none">${a.item.deliveryNone}</p>`
      : html`<p class="utrecht-paragraph" id="delivery-total">${a.item.deliveryTotal(d.total)} ${a.item.channels.whatsapp}: ${d.byChannel.whatsapp}, ${a.item.channels.web}: ${d.byChannel.web}.</p>
          <table class="utrecht-table utrecht-table--html-table" id="delivery-table">
            <caption class="utrecht-table__caption">${a.item.deliveryCaption}</caption>
            <thead class="utrecht-table__header"><tr class="utrecht-table__row">
              <th scope="col" class="utrecht-table__header-cell">${a.columns.status}</th>
              <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${a.item.count}</th>
            </tr></thead>
            <tbody class="utrecht-table__body">
              ${states.map(
                (s) => html`<tr class="utrecht-table__row" data-state="${s}">
                  <th scope="row" class="utrecht-table__header-cell">${a.item.deliveryState[s]}</th>
                  <td class="utrecht-table__cell utrecht-table__cell--numeric">${d.byStatus[s]}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
  </section>`;
  return dashboardPage(ctx, {
    title: `${item.title} · ${a.title}`,
    section: 'agenda',
    body: html`
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/dashboard/agenda">${a.item.back}</a></p>
      <h1 class="utrecht-heading-1">${item.title}</h1>
      ${options.saved ? alertOk(html`<p class="utrecht-paragraph" id="saved">${a.item.saved}</p>`) : ''}
      <dl class="agenda-facts">
        <dt>${a.columns.status}</dt><dd id="item-status" data-status="${item.status}">${a.status[item.status]}</dd>
        <dt>${a.item.municipality}</dt><dd>${options.municipalityName}</dd>
        <dt>${a.item.clusters}</dt><dd>${item.clusters.map((c) => c.label).join(', ')}</dd>
      </dl>
      ${item.description === '' ? '' : html`<h2 class="utrecht-heading-2">${a.item.description}</h2><p class="utrecht-paragraph agenda-text">${item.description}</p>`}
      <h2 class="utrecht-heading-2">${a.item.advice}</h2>
      ${text(item.advice)}
      <h2 class="utrecht-heading-2">${a.item.decision}</h2>
      ${text(item.decision)}
      ${item.status === 'reported_back'
        ? html`<h2 class="utrecht-heading-2">${a.item.feedbackNl}</h2>${text(item.feedback_nl)}<h2 class="utrecht-heading-2">${a.item.feedbackEn}</h2>${text(item.feedback_en)}`
        : ''}
      ${delivery}
      ${options.canEdit && next.length > 0 ? statusForm : ''}
      <section aria-labelledby="notes-heading">
        <h2 class="utrecht-heading-2" id="notes-heading">${a.item.history}</h2>
        <ol class="utrecht-ordered-list agenda-history" id="history">${options.history.map(event)}</ol>
        ${options.canEdit ? noteForm : ''}
      </section>`,
  });
}
