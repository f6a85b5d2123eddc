/** Gazetteer and boundary import: upload, a preview with line- or feature-numbered errors, then confirm. */
import { html } from 'hono/html';
import type { Html } from '../../app/http/layout.ts';
import { GAZETTEER_COLUMNS } from '../../db/gazetteer/parse.ts';
import type { Lang } from '../i18n.ts';
import { alertOk } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

export type AreaKind = 'gazetteer' | 'boundaries';

/** A problem of the file; `at` is the line (gazetteer) or feature number from 1 (boundaries), null for the file. */
export type AreaProblem =
  | { kind: 'parse'; at: number | null; message: string }
  | { kind: 'foreignMunicipality'; at: null; code: string; name: string; own: string }
  | { kind: 'foreignArea'; at: number; area: string; code: string; own: string };

export interface AreaPreview {
  kind: AreaKind;
  content: string;
  fileName: string;
  wijken: number;
  buurten: number;
  /** Boundary codes the gazetteer does not know: skipped on import. */
  unknown: string[];
  problems: AreaProblem[];
}

export type AreaFormError = 'empty' | 'tooLarge' | 'notUtf8';

const texts = {
  nl: {
    title: 'Gebieden importeren',
    heading: 'Gebieden importeren',
    intro: 'Werk de wijken en buurten van je gemeente bij (gazetteer, CSV) of zet de grenzen voor de kaart erin (GeoJSON van de CBS Wijk- en Buurtkaart). Je ziet eerst een voorbeeld; er wordt pas iets opgeslagen als je bevestigt, en alleen als het hele bestand klopt.',
    gazetteer: 'Gazetteer: CSV in UTF-8 met deze kolommen, één regel per buurt. Alleen regels van je eigen gemeente.',
    boundaries: 'Grenzen: een GeoJSON FeatureCollection met wijkcode/buurtcode (of WK_CODE/BU_CODE), in WGS84 of RD New. Knip het bestand eerst tot je eigen gemeente.',
    caches: 'Na de import gebruiken de chatbot en de analyse in deze server de nieuwe gebieden meteen; aparte worker-processen binnen een minuut.',
    file: 'Bestand (CSV of GeoJSON, hoogstens 8 MB)',
    preview: 'Voorbeeld bekijken',
    previewHeading: 'Voorbeeld',
    errorsHeading: (n: number) => `${n} ${n === 1 ? 'probleem' : 'problemen'}: er wordt niets opgeslagen. Verbeter het bestand en probeer het opnieuw.`,
    line: (n: number) => `Regel ${n}`,
    feature: (n: number) => `Feature ${n}`,
    file_: 'Bestand',
    foreignMunicipality: (code: string, name: string, own: string) => `Dit bestand bevat gemeente ${code} (${name}). Je kunt alleen gebieden van je eigen gemeente (${own}) importeren.`,
    foreignArea: (area: string, code: string, own: string) => `${area} hoort bij gemeente ${code}, niet bij je eigen gemeente (${own}).`,
    summary: (kind: AreaKind, wijken: number, buurten: number) =>
      `${kind === 'gazetteer' ? 'Gazetteer' : 'Grenzen'}: ${wijken} ${wijken === 1 ? 'wijk' : 'wijken'} en ${buurten} ${buurten === 1 ? 'buurt' : 'buurten'}.`,
    unknown: (n: number, first: string) => `${n} ${n === 1 ? 'code staat' : 'codes staan'} niet in de gazetteer en ${n === 1 ? 'wordt' : 'worden'} overgeslagen: ${first}.`,
    confirm: 'Importeren',
    done: (kind: AreaKind, wijken: number, buurten: number) =>
      `${kind === 'gazetteer' ? 'Gazetteer' : 'Grenzen'} geïmporteerd: ${wijken} ${wijken === 1 ? 'wijk' : 'wijken'} en ${buurten} ${buurten === 1 ? 'buurt' : 'buurten'}.`,
    formError: { empty: 'Kies een bestand.', tooLarge: 'Het bestand is groter dan 8 MB.', notUtf8: 'Het bestand is geen UTF-8-tekst: sla het op als CSV UTF-8.' } satisfies Record<AreaFormError, string>,
  },
  en: {
    title: 'Import areas',
    heading: 'Import areas',
    intro: 'Update the wijken and buurten of your municipality (gazetteer, CSV) or add the boundaries for the map (GeoJSON from the CBS Wijk- en Buurtkaart). You see a preview first; nothing is stored until you confirm, and only when the whole file is correct.',
    gazetteer: 'Gazetteer: CSV in UTF-8 with these columns, one line per buurt. Only lines of your own municipality.',
    boundaries: 'Boundaries: a GeoJSON FeatureCollection with wijkcode/buurtcode (or WK_CODE/BU_CODE), in WGS84 or RD New. Cut the file down to your own municipality first.',
    caches: 'After the import, the chatbot and the analysis in this server use the new areas at once; separate worker processes within a minute.',
    file: 'File (CSV or GeoJSON, at most 8 MB)',
    preview: 'Preview',
    previewHeading: 'Preview',
    errorsHeading: (n: number) => `${n} ${n === 1 ? 'problem' : 'problems'}: nothing is stored. Correct the file and try again.`,
    line: (n: number) => `Line ${n}`,
    feature: (n: number) => `Feature ${n}`,
    file_: 'File',
    foreignMunicipality: (code: string, name: string, own: string) => `This file holds municipality ${code} (${name}). You can only import areas of your own municipality (${own}).`,
    foreignArea: (area: string, code: string, own: string) => `${area} belongs to municipality ${code}, not to your own municipality (${own}).`,
    summary: (kind: AreaKind, wijken: number, buurten: number) =>
      `${kind === 'gazetteer' ? 'Gazetteer' : 'Boundaries'}: ${wijken} ${wijken === 1 ? 'wijk' : 'wijken'} and ${buurten} ${buurten === 1 ? 'buurt' : 'buurten'}.`,
    unknown: (n: number, first: string) => `${n} ${n === 1 ? 'code is' : 'codes are'} not in the gazetteer and will be skipped: ${first}.`,
    confirm: 'Import',
    done: (kind: AreaKind, wijken: number, buurten: number) =>
      `${kind === 'gazetteer' ? 'Gazetteer' : 'Boundaries'} imported: ${wijken} ${wijken === 1 ? 'wijk' : 'wijken'} and ${buurten} ${buurten === 1 ? 'buurt' : 'buurten'}.`,
    formError: { empty: 'Choose a file.', tooLarge: 'The file is larger than 8 MB.', notUtf8: 'The file is not UTF-8 text: save it as CSV UTF-8.' } satisfies Record<AreaFormError, string>,
  },
} satisfies Record<Lang, unknown>;

export function areasPage(
  ctx: ViewContext,
  options: {
    formError?: AreaFormError | undefined;
    preview?: AreaPreview | undefined;
    done?: { kind: AreaKind; wijken: number; buurten: number; unknown: string[] } | undefined;
  },
): Html {
  const m = texts[ctx.lang];
  const done = options.done;
  return dashboardPage(ctx, {
    title: m.title,
    section: 'admin',
    body: html`
      <h1 class="utrecht-heading-1">${m.heading}</h1>
      ${done
        ? alertOk(html`<p class="utrecht-paragraph" id="areas-result">${m.done(done.kind, done.wijken, done.buurten)}</p>
            ${done.unknown.length > 0 ? html`<p class="utrecht-paragraph">${m.unknown(done.unknown.length, shortList(done.unknown))}</p>` : ''}
            <p class="utrecht-paragraph">${m.caches}</p>`)
        : ''}
      ${options.preview ? previewSection(ctx, options.preview) : ''}
      <p class="utrecht-paragraph">${m.intro}</p>
      <p class="utrecht-paragraph">${m.gazetteer}</p>
      <pre class="format-example"><code>${GAZETTEER_COLUMNS.join(',')}</code></pre>
      <p class="utrecht-paragraph">${m.boundaries}</p>
      <p class="utrecht-paragraph">${m.caches}</p>
      <form method="post" action="/dashboard/beheer/gebieden/voorbeeld" enctype="multipart/form-data" class="import-form">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        ${options.formError
          ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><p class="utrecht-alert__message" id="areas-form-error">${m.formError[options.formError]}</p></div></div>`
          : ''}
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="areas-file">${m.file}</label></div>
          <div class="utrecht-form-field__input"><input class="import-file" id="areas-file" name="file" type="file" accept=".csv,.txt,.geojson,.json,text/csv,application/geo+json"${options.formError ? html` aria-describedby="areas-form-error"` : ''}></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${m.preview}</button>
      </form>`,
  });
}

function previewSection(ctx: ViewContext, preview: AreaPreview): Html {
  const m = texts[ctx.lang];
  const where = (p: AreaProblem) => (p.at === null ? m.file_ : preview.kind === 'gazetteer' ? m.line(p.at) : m.feature(p.at));
  const describe = (p: AreaProblem) => {
    switch (p.kind) {
      case 'parse':
        return p.message;
      case 'foreignMunicipality':
        return m.foreignMunicipality(p.code, p.name, p.own);
      case 'foreignArea':
        return m.foreignArea(p.area, p.code, p.own);
    }
  };
  const shown = preview.problems.slice(0, 200);
  return html`<section aria-labelledby="areas-preview-heading" class="import-preview">
    <h2 class="utrecht-heading-2" id="areas-preview-heading">${m.previewHeading}</h2>
    ${preview.problems.length > 0
      ? html`<div class="utrecht-alert utrecht-alert--error" role="alert"><div class="utrecht-alert__content"><div class="utrecht-alert__message">
          <p class="utrecht-paragraph"><strong>${m.errorsHeading(preview.problems.length)}</strong></p>
          <ul class="utrecht-unordered-list import-errors">${shown.map((p) => html`<li>${where(p)}: ${describe(p)}</li>`)}${preview.problems.length > shown.length ? html`<li>…</li>` : ''}</ul>
        </div></div></div>`
      : html`<p class="utrecht-paragraph" id="areas-summary">${m.summary(preview.kind, preview.wijken, preview.buurten)}</p>
          ${preview.unknown.length > 0 ? html`<p class="utrecht-paragraph">${m.unknown(preview.unknown.length, shortList(preview.unknown))}</p>` : ''}
          <form method="post" action="/dashboard/beheer/gebieden" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="${ctx.csrfToken}">
            <input type="hidden" name="kind" value="${preview.kind}">
            <input type="hidden" name="fileName" value="${preview.fileName}">
            <input type="hidden" name="content" value="${preview.content}">
            <button type="submit" class="utrecht-button utrecht-button--primary-action">${m.confirm}</button>
          </form>`}
  </section>`;
}

function shortList(codes: string[]): string {
  return codes.slice(0, 10).join(', ') + (codes.length > 10 ? ', …' : '');
}
