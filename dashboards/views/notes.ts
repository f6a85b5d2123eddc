/**
 * The street-note form: phone first, one column, works without JavaScript ("add another signal" is a submit button
 * that re-renders the form with one more field). notes-draft.js, when it runs, keeps a draft in localStorage.
 */
import { html } from 'hono/html';
import type { AgeBand, ResidentRole, Wijk } from '../../db/database.ts';
import type { Html } from '../../app/http/layout.ts';
import { alertOk, errorSummary, fieldError, type FieldErrors } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

export const ageBands: readonly AgeBand[] = ['0_15', '15_25', '25_45', '45_65', '65_plus'];
export const residentRoles: readonly ResidentRole[] = ['client', 'carer', 'resident'];

export interface NoteFormValues {
  wijk: string;
  place: string;
  date: string;
  ageBand: string;
  role: string;
  signals: string[];
}

const ids: Record<string, string> = { wijk: 'note-wijk', place: 'note-place', date: 'note-date', ageBand: 'note-age', role: 'note-role' };
/** Field ids; signal N (from 0) is note-signal-N, and "signals" (none filled in) points at the first. */
export function noteFieldId(field: string): string {
  const signal = /^signal-(\d+)$/.exec(field);
  if (signal) return `note-signal-${signal[1] ?? '0'}`;
  if (field === 'signals') return 'note-signal-0';
  return ids[field] ?? field;
}

export function notesPage(
  ctx: ViewContext,
  options: {
    wijken: Wijk[];
    values: NoteFormValues;
    today: string;
    errors: FieldErrors;
    /** The form was posted back (errors, or another signal field): the draft script must not overwrite it. */
    posted: boolean;
    /** Focus this signal field (the one just added). */
    focusSignal?: number | undefined;
    saved?: { references: string[] } | undefined;
  },
): Html {
  const { t } = ctx;
  const n = t.notes;
  const v = options.values;
  const e = (field: string) => fieldError(noteFieldId(field), options.errors.get(field));
  const wijk = e('wijk');
  const place = e('place');
  const date = e('date');
  const age = e('ageBand');
  const role = e('role');
  const signalsError = options.errors.get('signals');
  return dashboardPage(ctx, {
    title: n.title,
    section: 'notes',
    scripts: ['notes-draft.js'],
    body: html`
      ${options.saved
        ? alertOk(html`<p class="utrecht-paragraph" id="note-saved" data-draft-clear="true">${n.saved(options.saved.references.length)}</p>
            <p class="utrecht-paragraph">${n.references}</p>
            <ul class="utrecht-unordered-list note-references">${options.saved.references.map((r) => html`<li>${r}</li>`)}</ul>
            <p class="utrecht-paragraph"><a class="utrecht-link" href="/dashboard?bron=street">${n.seeList}</a></p>`)
        : ''}
      <h1 class="utrecht-heading-1">${n.heading}</h1>
      <p class="utrecht-paragraph">${n.intro}</p>
      ${errorSummary(t.errorSummary, options.errors, noteFieldId)}
      <p class="utrecht-paragraph draft-status" id="draft-status" role="status" data-restored="${n.draftRestored}"></p>
      <form method="post" action="/dashboard/notities" class="notes-form" id="notes-form" novalidate
        data-draft-key="wijkstem-note-draft:${ctx.user.id}" data-draft-restore="${options.posted ? 'false' : 'true'}"
        data-signal-label="${n.signal(0).replace('0', '{n}')}">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <div class="utrecht-form-field${wijk.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="note-wijk">${n.wijk}</label></div>
          ${wijk.message}
          <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="note-wijk" name="wijk" required${wijk.attrs}>
            <option value="">${n.chooseWijk}</option>
            ${options.wijken.map((w) => html`<option value="${w.code}"${v.wijk === w.code ? ' selected' : ''}>${w.name}</option>`)}
          </select></div>
        </div>
        <div class="utrecht-form-field${place.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="note-place">${n.place}</label></div>
          <p class="utrecht-form-field-description" id="note-place-hint">${n.placeHint}</p>
          ${place.message}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="note-place" name="place" type="text" maxlength="200" autocomplete="off" value="${v.place}"
            ${options.errors.has('place') ? html`aria-invalid="true" aria-describedby="note-place-hint note-place-error"` : html`aria-describedby="note-place-hint"`}></div>
        </div>
        <div class="utrecht-form-field${date.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="note-date">${n.date}</label></div>
          ${date.message}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="note-date" name="date" type="date" required max="${options.today}" value="${v.date}"${date.attrs}></div>
        </div>
        <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset">
          <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">${n.who}</legend>
          <div class="utrecht-form-field${age.invalid}">
            <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="note-age">${n.ageBand}</label></div>
            ${age.message}
            <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="note-age" name="ageBand"${age.attrs}>
              <option value="">${n.unknown}</option>
              ${ageBands.map((b) => html`<option value="${b}"${v.ageBand === b ? ' selected' : ''}>${n.ageBands[b]}</option>`)}
            </select></div>
          </div>
          <div class="utrecht-form-field${role.invalid}">
            <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="note-role">${n.role}</label></div>
            ${role.message}
            <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="note-role" name="role"${role.attrs}>
              <option value="">${n.unknown}</option>
              ${residentRoles.map((r) => html`<option value="${r}"${v.role === r ? ' selected' : ''}>${n.residentRoles[r]}</option>`)}
            </select></div>
          </div>
        </fieldset>
        <div class="note-signals" id="note-signals">
          ${v.signals.map((text, i) => {
            const key = options.errors.has(`signal-${i}`) ? `signal-${i}` : i === 0 && signalsError !== undefined ? 'signals' : `signal-${i}`;
            const f = fieldError(noteFieldId(`signal-${i}`), options.errors.get(key));
            return html`<div class="utrecht-form-field note-signal${f.invalid}">
              <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="note-signal-${i}">${n.signal(i + 1)}</label></div>
              ${f.message}
              <div class="utrecht-form-field__input"><textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="note-signal-${i}" name="signal" rows="4" maxlength="4000"${f.attrs}${options.focusSignal === i ? ' autofocus' : ''}>${text}</textarea></div>
            </div>`;
          })}
        </div>
        <div class="utrecht-button-group">
          <button type="submit" name="action" value="add" formnovalidate class="utrecht-button utrecht-button--secondary-action" id="note-add">${n.addAnother}</button>
          <button type="submit" name="action" value="save" class="utrecht-button utrecht-button--primary-action">${n.save}</button>
        </div>
      </form>`,
  });
}
