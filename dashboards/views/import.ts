/** Bulk import: upload or paste, a preview with line-numbered errors, then confirm (all rows or nothing). */
import { html } from 'hono/html';
import type { Html } from '../../app/http/layout.ts';
import { CSV_COLUMNS, type ImportError, type ImportFormat, type ImportRow } from '../../pipeline/intake/signal-import.ts';
import { alertOk } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

export function importPage(
  ctx: ViewContext,
  options: {
    /** The upload form's own problem (nothing chosen). */
    formError?: string | undefined;
    preview?: { content: string; format: ImportFormat; fileName: string; rows: ImportRow[]; errors: ImportError[]; alreadyImported: number } | undefined;
    done?: { stored: { reference: string; externalId: string }[]; skipped: number } | undefined;
  },
): Html {
  const { t } = ctx;
  const m = t.import;
  const preview = options.preview;
  return dashboardPage(ctx, {
    title: m.title,
    section: 'import',
    body: html`
      <h1 class="utrecht-heading-1">${m.heading}</h1>
      ${options.done ? doneMessage(ctx, options.done) : ''}
      ${preview ? previewSection(ctx, preview) : ''}
      <p class="utrecht-paragraph">${m.intro}</p>
      <h2 class="utrecht-heading-2">${m.formats}</h2>
      <p class="utrecht-paragraph">${m.csv}</p>
      <pre class="format-example"><code>${CSV_COLUMNS.join(',')}
a-1,"De bus naar het gezondheidscentrum rijdt niet meer",street,1503,Zaandam-Oost,nl</code></pre>
      <p class="utrecht-paragraph">${m.jsonl}</p>
      <pre class="format-example"><code>{"id": "a-1", "text": "…", "source": "street", "postcode": "1503", "place": "Zaandam-Oost"}</code></pre>
      <p class="utrecht-paragraph">${m.fields}</p>
      <form method="post" action="/dashboard/importeren/voorbeeld" enctype="multipart/form-data" class="import-form">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        ${options.formError
          ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><p class="utrecht-alert__message" id="import-form-error">${options.formError}</p></div></div>`
          : ''}
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="import-file">${m.file}</label></div>
          <div class="utrecht-form-field__input"><input class="import-file" id="import-file" name="file" type="file" accept=".csv,.jsonl,.ndjson,.txt,text/csv,application/jsonl"${options.formError ? html` aria-describedby="import-form-error"` : ''}></div>
        </div>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="import-text">${m.paste}</label></div>
          <div class="utrecht-form-field__input"><textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="import-text" name="text" rows="6"${options.formError ? html` aria-describedby="import-form-error"` : ''}></textarea></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${m.preview}</button>
      </form>`,
  });
}

function doneMessage(ctx: ViewContext, done: { stored: { reference: string; externalId: string }[]; skipped: number }): Html {
  const m = ctx.t.import;
  if (done.stored.length === 0) return alertOk(html`<p class="utrecht-paragraph" id="import-result">${m.nothingNew}</p>`);
  return alertOk(html`<p class="utrecht-paragraph" id="import-result">${m.done(done.stored.length, done.skipped)}</p>
    <ul class="utrecht-unordered-list">${done.stored.map((s) => html`<li>${s.externalId}: ${s.reference}</li>`)}</ul>`);
}

function previewSection(
  ctx: ViewContext,
  preview: { content: string; format: ImportFormat; fileName: string; rows: ImportRow[]; errors: ImportError[]; alreadyImported: number },
): Html {
  const m = ctx.t.import;
  const c = m.columns;
  const newRows = preview.rows.length - preview.alreadyImported;
  return html`<section aria-labelledby="preview-heading" class="import-preview">
    <h2 class="utrecht-heading-2" id="preview-heading">${m.previewHeading}</h2>
    ${preview.errors.length > 0
      ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><div class="utrecht-alert__message">
          <p class="utrecht-paragraph"><strong>${m.errorsHeading(preview.errors.length)}</strong></p>
          <ul class="utrecht-unordered-list import-errors">${preview.errors.map((e) => html`<li>${m.line(e.line)}: ${m.problem(e.problem)}</li>`)}</ul>
        </div></div></div>`
      : html`<p class="utrecht-paragraph" id="import-summary">${m.rows(preview.rows.length, preview.alreadyImported)}</p>`}
    ${preview.rows.length > 0
      ? html`<table class="utrecht-table utrecht-table--html-table signals import-rows">
          <caption class="utrecht-table__caption visually-hidden">${m.previewHeading}</caption>
          <thead class="utrecht-table__header"><tr class="utrecht-table__row">
            <th scope="col" class="utrecht-table__header-cell">${c.line}</th><th scope="col" class="utrecht-table__header-cell">${c.id}</th>
            <th scope="col" class="utrecht-table__header-cell">${c.source}</th><th scope="col" class="utrecht-table__header-cell">${c.place}</th>
            <th scope="col" class="utrecht-table__header-cell">${c.postcode}</th><th scope="col" class="utrecht-table__header-cell">${c.text}</th>
          </tr></thead>
          <tbody class="utrecht-table__body">
            ${preview.rows.map(
              (r) => html`<tr class="utrecht-table__row">
                <td class="utrecht-table__cell" data-label="${c.line}">${r.line}</td>
                <td class="utrecht-table__cell" data-label="${c.id}">${r.id}</td>
                <td class="utrecht-table__cell" data-label="${c.source}">${ctx.t.sources[r.source]}</td>
                <td class="utrecht-table__cell" data-label="${c.place}">${r.place ?? ''}</td>
                <td class="utrecht-table__cell" data-label="${c.postcode}">${r.postcode ?? ''}</td>
                <td class="utrecht-table__cell signal-text" data-label="${c.text}">${r.text}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
      : ''}
    ${preview.errors.length === 0
      ? html`<form method="post" action="/dashboard/importeren" enctype="multipart/form-data">
          <input type="hidden" name="csrf" value="${ctx.csrfToken}">
          <input type="hidden" name="format" value="${preview.format}">
          <input type="hidden" name="fileName" value="${preview.fileName}">
          <input type="hidden" name="content" value="${preview.content}">
          <button type="submit" class="utrecht-button utrecht-button--primary-action">${m.confirm(newRows)}</button>
        </form>`
      : ''}
  </section>`;
}
