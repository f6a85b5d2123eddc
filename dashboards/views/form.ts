/** Form pieces in NL Design System markup, with errors linked to their fields (aria-describedby, aria-invalid). */
import { html } from 'hono/html';
import type { Html } from '../../app/http/layout.ts';

/** Field name to message; the order is the order of the form. */
export type FieldErrors = Map<string, string>;

/** The error summary at the top of a form: each message links to its field. */
export function errorSummary(heading: string, errors: FieldErrors, idOf: (field: string) => string): Html | '' {
  if (errors.size === 0) return '';
  return html`<div class="utrecht-alert utrecht-alert--error" role="alert" id="error-summary">
    <div class="utrecht-alert__content"><div class="utrecht-alert__message">
      <p class="utrecht-paragraph"><strong>${heading}</strong></p>
      <ul class="utrecht-unordered-list">
        ${[...errors].map(([field, message]) => html`<li><a class="utrecht-link" href="#${idOf(field)}">${message}</a></li>`)}
      </ul>
    </div></div>
  </div>`;
}

/** The error message under a label, and the attributes its control needs. */
export function fieldError(id: string, message: string | undefined): { message: Html | ''; attrs: Html | ''; invalid: string } {
  if (message === undefined) return { message: '', attrs: '', invalid: '' };
  return {
    message: html`<p class="utrecht-form-field-error-message" id="${id}-error">${message}</p>`,
    attrs: html` aria-invalid="true" aria-describedby="${id}-error"`,
    invalid: ' utrecht-form-field--invalid',
  };
}

export function alertOk(body: Html): Html {
  return html`<div class="utrecht-alert utrecht-alert--ok" role="status"><div class="utrecht-alert__content"><div class="utrecht-alert__message">${body}</div></div></div>`;
}
