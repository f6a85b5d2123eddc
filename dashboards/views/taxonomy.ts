/** Taxonomy administration: rename the life domains, add the municipality's own, retire and restore them. */
import { html } from 'hono/html';
import type { Html } from '../../app/http/layout.ts';
import type { MunicipalDomain } from '../../pipeline/taxonomy.ts';
import type { Lang, Texts } from '../i18n.ts';
import { alertOk, errorSummary, fieldError, type FieldErrors } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

const texts = {
  nl: {
    title: 'Levensdomeinen',
    heading: 'Levensdomeinen',
    intro: 'De analyse deelt elk signaal in bij een of meer levensdomeinen. Je kunt de namen aanpassen aan de woorden van je gemeente, eigen domeinen toevoegen en domeinen uitfaseren. De sleutels blijven altijd bestaan: oude signalen, exports en trainingsbestanden verwijzen ernaar.',
    addedNote: 'Een domein dat je toevoegt heeft geen trainingsvoorbeelden: de analyse kent het niet toe. Alleen mensen in de beoordelingswachtrij kunnen het aan signalen geven.',
    retiredNote: 'Een uitgefaseerd domein wordt niet meer aan nieuwe signalen gegeven en niet meer aangeboden bij het beoordelen; oude signalen houden het.',
    caption: 'Levensdomeinen van je gemeente',
    columns: { key: 'Sleutel', labels: 'Naam (Nederlands en Engels)', status: 'Status', action: 'Actie' },
    labelNl: (key: string) => `Nederlandse naam van ${key}`,
    labelEn: (key: string) => `Engelse naam van ${key}`,
    save: 'Naam opslaan',
    retire: 'Uitfaseren',
    retireLabel: (key: string) => `${key} uitfaseren`,
    restore: 'Terugzetten',
    restoreLabel: (key: string) => `${key} terugzetten`,
    active: 'in gebruik',
    manual: 'in gebruik, alleen bij beoordelen',
    retired: 'uitgefaseerd',
    defaultHint: 'Laat de Nederlandse naam van een standaarddomein leeg om de standaardnaam terug te krijgen.',
    addHeading: 'Domein toevoegen',
    key: 'Sleutel',
    keyHint: 'Kleine letters, cijfers en _, bijvoorbeeld armoede_kinderen. Kan later niet veranderen.',
    nl: 'Nederlandse naam',
    en: 'Engelse naam (mag leeg)',
    add: 'Toevoegen',
    done: {
      rename: (key: string) => `De naam van ${key} is opgeslagen.`,
      add: (key: string) => `${key} is toegevoegd. Alleen mensen in de beoordelingswachtrij kunnen het toekennen.`,
      retire: (key: string) => `${key} is uitgefaseerd.`,
      restore: (key: string) => `${key} is weer in gebruik.`,
    },
    errors: {
      key: 'Gebruik 2 tot 40 tekens: kleine letters, cijfers en _, beginnend met een letter.',
      exists: 'Deze sleutel bestaat al.',
      label: 'Een naam heeft 1 tot 80 tekens.',
      labelRequired: 'Vul een Nederlandse naam in (1 tot 80 tekens).',
    },
  },
  en: {
    title: 'Life domains',
    heading: 'Life domains',
    intro: 'The analysis assigns every signal to one or more life domains. You can rename them in your municipality’s words, add domains of your own and retire domains. The keys always stay: old signals, exports and training files refer to them.',
    addedNote: 'A domain you add has no training examples: the analysis does not assign it. Only people in the review queue can give it to signals.',
    retiredNote: 'A retired domain is no longer given to new signals and no longer offered in the review queue; old signals keep it.',
    caption: 'Life domains of your municipality',
    columns: { key: 'Key', labels: 'Name (Dutch and English)', status: 'Status', action: 'Action' },
    labelNl: (key: string) => `Dutch name of ${key}`,
    labelEn: (key: string) => `English name of ${key}`,
    save: 'Save name',
    retire: 'Retire',
    retireLabel: (key: string) => `Retire ${key}`,
    restore: 'Restore',
    restoreLabel: (key: string) => `Restore ${key}`,
    active: 'in use',
    manual: 'in use, in review only',
    retired: 'retired',
    defaultHint: 'Leave the Dutch name of a default domain empty to get the default name back.',
    addHeading: 'Add a domain',
    key: 'Key',
    keyHint: 'Lower-case letters, digits and _, for example child_poverty. Cannot change later.',
    nl: 'Dutch name',
    en: 'English name (may be empty)',
    add: 'Add',
    done: {
      rename: (key: string) => `The name of ${key} has been saved.`,
      add: (key: string) => `${key} has been added. Only people in the review queue can assign it.`,
      retire: (key: string) => `${key} has been retired.`,
      restore: (key: string) => `${key} is in use again.`,
    },
    errors: {
      key: 'Use 2 to 40 characters: lower-case letters, digits and _, starting with a letter.',
      exists: 'This key already exists.',
      label: 'A name has 1 to 80 characters.',
      labelRequired: 'Enter a Dutch name (1 to 80 characters).',
    },
  },
} satisfies Record<Lang, unknown>;

export type TaxonomyTexts = (typeof texts)['nl'];

export function taxonomyTexts(lang: Lang): TaxonomyTexts {
  return texts[lang];
}

export type TaxonomyChange = 'rename' | 'add' | 'retire' | 'restore';

const fieldIds: Record<string, string> = { key: 'domain-key', nl: 'domain-nl', en: 'domain-en' };

export function taxonomyPage(
  ctx: ViewContext,
  options: {
    domains: readonly MunicipalDomain[];
    /** Errors of the add form, or of one domain's rename form (rowKey). */
    errors: FieldErrors;
    rowKey?: string | undefined;
    values: { key: string; nl: string; en: string };
    done?: { change: TaxonomyChange; key: string } | undefined;
  },
): Html {
  const m = texts[ctx.lang];
  const c = m.columns;
  const addErrors = options.rowKey === undefined ? options.errors : new Map<string, string>();
  const key = fieldError('domain-key', addErrors.get('key'));
  const nl = fieldError('domain-nl', addErrors.get('nl'));
  const en = fieldError('domain-en', addErrors.get('en'));
  return dashboardPage(ctx, {
    title: m.title,
    section: 'admin',
    body: html`
      <h1 class="utrecht-heading-1">${m.heading}</h1>
      ${options.done ? alertOk(html`<p class="utrecht-paragraph" id="taxonomy-done">${m.done[options.done.change](options.done.key)}</p>`) : ''}
      <p class="utrecht-paragraph">${m.intro}</p>
      <p class="utrecht-paragraph">${m.addedNote}</p>
      <p class="utrecht-paragraph">${m.retiredNote}</p>
      <p class="utrecht-paragraph">${m.defaultHint}</p>
      ${options.rowKey !== undefined ? errorSummary(ctx.t.errorSummary, options.errors, (f) => `${f}-${options.rowKey ?? ''}`) : ''}
      <table class="utrecht-table utrecht-table--html-table signals taxonomy">
        <caption class="utrecht-table__caption">${m.caption}</caption>
        <thead class="utrecht-table__header"><tr class="utrecht-table__row">
          <th scope="col" class="utrecht-table__header-cell">${c.key}</th><th scope="col" class="utrecht-table__header-cell">${c.labels}</th>
          <th scope="col" class="utrecht-table__header-cell">${c.status}</th><th scope="col" class="utrecht-table__header-cell">${c.action}</th>
        </tr></thead>
        <tbody class="utrecht-table__body">
          ${options.domains.map((d) => {
            const rowErrors = options.rowKey === d.key ? options.errors : new Map<string, string>();
            const nlError = fieldError(`nl-${d.key}`, rowErrors.get('nl'));
            const enError = fieldError(`en-${d.key}`, rowErrors.get('en'));
            const formId = `rename-${d.key}`;
            return html`<tr class="utrecht-table__row" id="domain-${d.key}">
              <td class="utrecht-table__cell" data-label="${c.key}"><code>${d.key}</code></td>
              <td class="utrecht-table__cell" data-label="${c.labels}">
                <form method="post" action="/dashboard/beheer/taxonomie/${d.key}/naam" id="${formId}" class="domain-rename">
                  <input type="hidden" name="csrf" value="${ctx.csrfToken}">
                  <label class="utrecht-form-label visually-hidden" for="nl-${d.key}">${m.labelNl(d.key)}</label>
                  ${nlError.message}
                  <input class="utrecht-textbox utrecht-textbox--html-input" id="nl-${d.key}" name="nl" maxlength="80" value="${d.label}"${nlError.attrs}>
                  <label class="utrecht-form-label visually-hidden" for="en-${d.key}">${m.labelEn(d.key)}</label>
                  ${enError.message}
                  <input class="utrecht-textbox utrecht-textbox--html-input" id="en-${d.key}" name="en" maxlength="80" lang="en" value="${d.labelEn ?? ''}"${enError.attrs}>
                  <button type="submit" class="utrecht-button utrecht-button--secondary-action">${m.save}<span class="visually-hidden"> (${d.key})</span></button>
                </form>
              </td>
              <td class="utrecht-table__cell" data-label="${c.status}">${d.retired ? m.retired : d.added ? m.manual : m.active}</td>
              <td class="utrecht-table__cell" data-label="${c.action}">
                <form method="post" action="/dashboard/beheer/taxonomie/${d.key}/${d.retired ? 'terugzetten' : 'uitfaseren'}">
                  <input type="hidden" name="csrf" value="${ctx.csrfToken}">
                  <button type="submit" class="utrecht-button utrecht-button--secondary-action" aria-label="${d.retired ? m.restoreLabel(d.key) : m.retireLabel(d.key)}">${d.retired ? m.restore : m.retire}</button>
                </form>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
      <h2 class="utrecht-heading-2" id="add-domain">${m.addHeading}</h2>
      ${options.rowKey === undefined ? errorSummary(ctx.t.errorSummary, addErrors, (f) => fieldIds[f] ?? f) : ''}
      <form method="post" action="/dashboard/beheer/taxonomie" class="domain-add" novalidate>
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <div class="utrecht-form-field${key.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="domain-key">${m.key}</label></div>
          <p class="utrecht-form-field-description" id="domain-key-hint">${m.keyHint}</p>
          ${key.message}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="domain-key" name="key" maxlength="40" autocomplete="off" required value="${options.values.key}"${addErrors.has('key') ? html` aria-invalid="true" aria-describedby="domain-key-hint domain-key-error"` : html` aria-describedby="domain-key-hint"`}></div>
        </div>
        <div class="utrecht-form-field${nl.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="domain-nl">${m.nl}</label></div>
          ${nl.message}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="domain-nl" name="nl" maxlength="80" required value="${options.values.nl}"${nl.attrs}></div>
        </div>
        <div class="utrecht-form-field${en.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="domain-en">${m.en}</label></div>
          ${en.message}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="domain-en" name="en" maxlength="80" lang="en" value="${options.values.en}"${en.attrs}></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${m.add}</button>
      </form>`,
  });
}

/**
 * The texts with the municipality's domain labels: its own label in Dutch; in English its English label, else the
 * default English one, else its Dutch one (an added domain without an English name).
 */
export function withDomainLabels(t: Texts, lang: Lang, domains: readonly MunicipalDomain[]): Texts {
  const labels: Record<string, string> = { ...t.domainLabels };
  for (const d of domains) labels[d.key] = lang === 'nl' ? d.label : (d.labelEn ?? (d.added ? d.label : (t.domainLabels[d.key] ?? d.label)));
  return { ...t, domainLabels: labels };
}
