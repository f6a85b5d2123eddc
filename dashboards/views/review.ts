/** The review queue: one card per signal with its redacted text and a form to confirm or correct; the accuracy panel. */
import { html } from 'hono/html';
import type { Wijk } from '../../db/database.ts';
import type { DomainAccuracy, ReviewItem } from '../../db/repositories/dashboard-review.ts';
import { defaultDomainKeys } from '../../pipeline/taxonomy.ts';
import type { Html } from '../../app/http/layout.ts';
import { alertOk, errorSummary, fieldError, type FieldErrors } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

export function reviewPage(
  ctx: ViewContext,
  options: {
    queue: readonly ReviewItem[];
    wijken: readonly Wijk[];
    accuracy: readonly DomainAccuracy[];
    reviewCount: number;
    changedCount: number;
    /** The municipality's domains in use (its taxonomy, issue 5); the default keys when not given. */
    domainKeys?: readonly string[] | undefined;
    errors?: { signalId: string; errors: FieldErrors } | undefined;
    saved?: string | undefined;
  },
): Html {
  const { t } = ctx;
  const r = t.review;
  const dateTime = new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });
  const percent = new Intl.NumberFormat(t.locale, { style: 'percent', maximumFractionDigits: 0 });
  const card = (s: ReviewItem): Html => {
    const prefix = `r-${s.id}`;
    const errors = options.errors?.signalId === s.id ? options.errors.errors : new Map<string, string>();
    const domainError = fieldError(`${prefix}-domains`, errors.get('domain'));
    const wijkError = fieldError(`${prefix}-wijk`, errors.get('wijk'));
    const keys = new Set(s.domains.map((d) => d.key));
    // A retired domain the signal already has stays on offer (checked), so confirming does not silently drop it.
    const offered = [...new Set([...(options.domainKeys ?? defaultDomainKeys), ...keys])];
    return html`<article class="review-item${s.urgent ? ' review-item--urgent' : ''}" aria-labelledby="${prefix}-heading">
      <h2 class="utrecht-heading-3" id="${prefix}-heading">${r.signal(s.reference)}${s.urgent ? html` <strong class="urgent">${r.urgent}</strong>` : ''}${s.review ? html` <span class="review-item__tag">${r.unsure}</span>` : ''}</h2>
      <p class="utrecht-paragraph review-item__meta">${r.received}: <time datetime="${s.received_at.toISOString()}">${dateTime.format(s.received_at)}</time> · ${t.sources[s.source]}</p>
      <blockquote class="utrecht-blockquote signal-text">${s.text_redacted ?? html`<em>${t.signals.waiting}</em>`}</blockquote>
      ${errorSummary(t.errorSummary, errors, (field) => (field === 'domain' ? `${prefix}-domains` : `${prefix}-wijk`))}
      <form method="post" action="/dashboard/beoordelen/${s.id}" class="review-form">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <fieldset class="utrecht-form-fieldset${domainError.invalid}" id="${prefix}-domains"${errors.has('domain') ? html` aria-describedby="${prefix}-domains-error"` : ''}>
          <legend class="utrecht-form-fieldset__legend">${r.domains}</legend>
          ${domainError.message}
          <div class="review-form__domains">
            ${offered.map(
              (key) => html`<div class="utrecht-form-field utrecht-form-field--checkbox">
                <input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" name="domain" value="${key}" id="${prefix}-d-${key}"${keys.has(key) ? ' checked' : ''}>
                <label class="utrecht-form-label utrecht-form-label--checkbox" for="${prefix}-d-${key}">${t.domainLabels[key] ?? key}</label>
              </div>`,
            )}
          </div>
        </fieldset>
        <div class="utrecht-form-field${wijkError.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${prefix}-wijk">${r.wijk}</label></div>
          ${wijkError.message}
          <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="${prefix}-wijk" name="wijk"${wijkError.attrs}>
            <option value="">${r.noWijk}</option>
            ${options.wijken.map((w) => html`<option value="${w.code}"${s.wijk_code === w.code ? ' selected' : ''}>${w.name}</option>`)}
          </select></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${r.save}<span class="visually-hidden"> (${s.reference})</span></button>
      </form>
    </article>`;
  };
  return dashboardPage(ctx, {
    title: r.title,
    section: 'review',
    body: html`
      <h1 class="utrecht-heading-1">${r.heading}</h1>
      ${options.saved ? alertOk(html`<p class="utrecht-paragraph" id="review-saved">${r.saved(options.saved)}</p>`) : ''}
      <p class="utrecht-paragraph">${r.intro}</p>
      ${options.queue.length === 0 ? html`<p class="utrecht-paragraph" id="review-empty">${r.none}</p>` : options.queue.map(card)}
      <section aria-labelledby="accuracy-heading" class="accuracy">
        <h2 class="utrecht-heading-2" id="accuracy-heading">${r.accuracy}</h2>
        ${options.reviewCount === 0
          ? html`<p class="utrecht-paragraph">${r.accuracyNone}</p>`
          : html`<p class="utrecht-paragraph" id="accuracy-total">${r.accuracyTotal(options.reviewCount, options.changedCount)}</p>
              <table class="utrecht-table utrecht-table--html-table figures" id="accuracy-table">
                <caption class="utrecht-table__caption visually-hidden">${r.accuracy}</caption>
                <thead class="utrecht-table__header"><tr class="utrecht-table__row">
                  <th scope="col" class="utrecht-table__header-cell">${r.columns.domain}</th>
                  <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${r.columns.involved}</th>
                  <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${r.columns.removed}</th>
                  <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${r.columns.added}</th>
                  <th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric">${r.columns.corrected}</th>
                </tr></thead>
                <tbody class="utrecht-table__body">
                  ${options.accuracy.map(
                    (a) => html`<tr class="utrecht-table__row" data-domain="${a.domain}">
                      <th scope="row" class="utrecht-table__header-cell">${t.domainLabels[a.domain] ?? a.domain}</th>
                      <td class="utrecht-table__cell utrecht-table__cell--numeric">${a.involved}</td>
                      <td class="utrecht-table__cell utrecht-table__cell--numeric">${a.removed}</td>
                      <td class="utrecht-table__cell utrecht-table__cell--numeric">${a.added}</td>
                      <td class="utrecht-table__cell utrecht-table__cell--numeric">${percent.format((a.removed + a.added) / a.involved)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`}
        ${ctx.user.role === 'admin' ? html`<p class="utrecht-paragraph"><a class="utrecht-link" href="/dashboard/beoordelen/export.jsonl">${r.export}</a></p>` : ''}
      </section>`,
  });
}
