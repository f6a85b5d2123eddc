/**
 * Bot texts (/dashboard/beheer/bot), administrators only: every text of the bot's message catalogue in Dutch and
 * English with its default, the municipality's own version and a preview, and the WhatsApp template registry.
 * The page's own words, in both languages, are here (like agenda-texts.ts).
 */
import { html } from 'hono/html';
import type { Html } from '../../app/http/layout.ts';
import { kindOf, maxLength, previewOf, type TemplateEntry, type TextProblem } from '../../bot/conversation/text-rules.ts';
import { defaultTexts, languages, type Language, type TextKey } from '../../bot/conversation/texts.ts';
import { alertOk, errorSummary, type FieldErrors } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

export const botTextWords = {
  nl: {
    title: 'Teksten van de chatbot',
    heading: 'Teksten van de chatbot',
    intro:
      'Hier past u aan wat de chatbot zegt, in het Nederlands en het Engels. Laat een veld leeg om de standaardtekst te gebruiken. De chatbot gebruikt een nieuwe tekst meteen bij het volgende antwoord.',
    rules:
      'Woorden tussen accolades, zoals {reference}, vult de chatbot zelf in: laat ze staan. Knoppen mogen hoogstens 20 tekens hebben, andere teksten hoogstens 1.024 (de grens van WhatsApp voor een bericht met knoppen).',
    back: 'Terug naar beheer',
    language: { nl: 'Nederlands', en: 'Engels' } as Record<Language, string>,
    kind: { button: 'knop', 'list-button': 'knop van een lijst', body: 'tekst' },
    max: (n: number) => `hoogstens ${n} tekens`,
    standard: 'Standaard',
    own: (lang: string) => `Eigen tekst (${lang})`,
    preview: 'Voorbeeld',
    save: 'Opslaan',
    saveLabel: (key: string) => `Tekst ${key} opslaan`,
    saved: (key: string) => `De tekst ${key} is opgeslagen. De chatbot gebruikt hem vanaf het volgende antwoord.`,
    errorSummary: 'Er is iets niet goed',
    problem: (lang: string, p: TextProblem) =>
      p.code === 'too-long'
        ? `${lang}: te lang (${p.length} tekens, hoogstens ${p.max})`
        : p.code === 'placeholder-missing'
          ? `${lang}: ${p.placeholders.map((x) => `{${x}}`).join(', ')} ontbreekt; laat dit staan`
          : `${lang}: ${p.placeholders.map((x) => `{${x}}`).join(', ')} kent de chatbot niet`,
    templates: 'WhatsApp-sjablonen',
    templatesIntro:
      'Buiten 24 uur na het laatste bericht van een inwoner mag WhatsApp alleen goedgekeurde sjablonen sturen. Vul hier de naam in zoals Meta hem heeft goedgekeurd.',
    columns: { purpose: 'Doel', name: 'Naam', languages: 'Talen', approved: 'Goedgekeurd', parameters: 'Parameters' },
    yes: 'ja',
    no: 'nee',
    none: 'Nog geen sjablonen.',
    addTemplate: 'Sjabloon toevoegen of wijzigen',
    purposeHint: 'Bijvoorbeeld feedback (kleine letters, cijfers, - of _).',
    languagesHint: 'Taalcodes met een spatie ertussen, bijvoorbeeld: nl en',
    parametersHint: 'Namen van de parameters {{1}}, {{2}}, … met een komma ertussen; leeg als er geen zijn.',
    approvedLabel: 'Goedgekeurd door Meta',
    saveTemplate: 'Sjabloon opslaan',
    templateSaved: (purpose: string) => `Het sjabloon voor ${purpose} is opgeslagen.`,
    templateErrors: { purpose: 'Vul een doel in: kleine letters, cijfers, - of _.', name: 'Vul de naam in: kleine letters, cijfers en _.', languages: 'Vul minstens één taalcode in, zoals nl.' },
  },
  en: {
    title: 'Chatbot texts',
    heading: 'Chatbot texts',
    intro: 'Change what the chatbot says, in Dutch and English. Leave a field empty to use the default text. The chatbot uses a new text at once, from its next reply.',
    rules:
      'Words in braces, such as {reference}, are filled in by the chatbot: keep them. Buttons may have at most 20 characters, other texts at most 1,024 (the WhatsApp limit for a message with buttons).',
    back: 'Back to administration',
    language: { nl: 'Dutch', en: 'English' } as Record<Language, string>,
    kind: { button: 'button', 'list-button': 'list button', body: 'text' },
    max: (n: number) => `at most ${n} characters`,
    standard: 'Default',
    own: (lang: string) => `Own text (${lang})`,
    preview: 'Preview',
    save: 'Save',
    saveLabel: (key: string) => `Save text ${key}`,
    saved: (key: string) => `The text ${key} was saved. The chatbot uses it from its next reply.`,
    errorSummary: 'Something is not right',
    problem: (lang: string, p: TextProblem) =>
      p.code === 'too-long'
        ? `${lang}: too long (${p.length} characters, at most ${p.max})`
        : p.code === 'placeholder-missing'
          ? `${lang}: ${p.placeholders.map((x) => `{${x}}`).join(', ')} is missing; keep it`
          : `${lang}: the chatbot does not know ${p.placeholders.map((x) => `{${x}}`).join(', ')}`,
    templates: 'WhatsApp templates',
    templatesIntro: 'More than 24 hours after a resident last wrote, WhatsApp only allows approved templates. Enter the name as Meta approved it.',
    columns: { purpose: 'Purpose', name: 'Name', languages: 'Languages', approved: 'Approved', parameters: 'Parameters' },
    yes: 'yes',
    no: 'no',
    none: 'No templates yet.',
    addTemplate: 'Add or change a template',
    purposeHint: 'For example feedback (lower case letters, digits, - or _).',
    languagesHint: 'Language codes separated by a space, for example: nl en',
    parametersHint: 'Names of the parameters {{1}}, {{2}}, … separated by commas; empty if there are none.',
    approvedLabel: 'Approved by Meta',
    saveTemplate: 'Save template',
    templateSaved: (purpose: string) => `The template for ${purpose} was saved.`,
    templateErrors: { purpose: 'Enter a purpose: lower case letters, digits, - or _.', name: 'Enter the name: lower case letters, digits and _.', languages: 'Enter at least one language code, such as nl.' },
  },
};

export interface BotTextsView {
  municipalityName: string;
  keys: readonly TextKey[];
  overrides: Record<Language, Partial<Record<TextKey, string>>>;
  templates: TemplateEntry[];
  /** The key whose form was posted with problems, what was typed, and the problems per language. */
  failed?: { key: TextKey; values: Record<Language, string>; problems: Record<Language, TextProblem[]> } | undefined;
  saved?: TextKey | undefined;
  template?: { values: { purpose: string; name: string; languages: string; approved: boolean; parameters: string }; errors: FieldErrors; saved?: string | undefined } | undefined;
}

const fieldId = (key: string, lang: string) => `text-${key}-${lang}`;

export function botTextsPage(ctx: ViewContext, v: BotTextsView): Html {
  const w = botTextWords[ctx.lang];
  const failed = v.failed;
  const summary: FieldErrors = new Map();
  if (failed) for (const lang of languages) for (const [i, p] of failed.problems[lang].entries()) summary.set(`${lang}:${i}`, w.problem(w.language[lang], p));
  const templateErrors = v.template?.errors ?? new Map<string, string>();
  return dashboardPage(ctx, {
    title: w.title,
    section: 'admin',
    body: html`
      <h1 class="utrecht-heading-1">${w.heading}</h1>
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/dashboard/beheer">${w.back}</a></p>
      <p class="utrecht-paragraph">${w.intro}</p>
      <p class="utrecht-paragraph">${w.rules}</p>
      ${v.saved ? alertOk(html`<p class="utrecht-paragraph" id="text-saved">${w.saved(v.saved)}</p>`) : ''}
      ${failed ? errorSummary(w.errorSummary, summary, (field) => fieldId(failed.key, field.split(':')[0] ?? 'nl')) : ''}
      ${v.keys.map((key) => textForm(ctx, v, key))}
      <h2 class="utrecht-heading-2" id="templates">${w.templates}</h2>
      <p class="utrecht-paragraph">${w.templatesIntro}</p>
      ${v.template?.saved ? alertOk(html`<p class="utrecht-paragraph" id="template-saved">${w.templateSaved(v.template.saved)}</p>`) : ''}
      ${v.templates.length === 0
        ? html`<p class="utrecht-paragraph">${w.none}</p>`
        : html`<table class="utrecht-table utrecht-table--html-table signals">
            <caption class="utrecht-table__caption">${w.templates}</caption>
            <thead class="utrecht-table__header"><tr class="utrecht-table__row">
              ${Object.values(w.columns).map((c) => html`<th scope="col" class="utrecht-table__header-cell">${c}</th>`)}
            </tr></thead>
            <tbody class="utrecht-table__body">
              ${v.templates.map(
                (t) => html`<tr class="utrecht-table__row">
                  <td class="utrecht-table__cell" data-label="${w.columns.purpose}">${t.purpose}</td>
                  <td class="utrecht-table__cell" data-label="${w.columns.name}"><code>${t.name}</code></td>
                  <td class="utrecht-table__cell" data-label="${w.columns.languages}">${t.languages.join(', ')}</td>
                  <td class="utrecht-table__cell" data-label="${w.columns.approved}">${t.approved ? w.yes : w.no}</td>
                  <td class="utrecht-table__cell" data-label="${w.columns.parameters}">${t.parameters.join(', ')}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}
      <h3 class="utrecht-heading-3">${w.addTemplate}</h3>
      ${errorSummary(w.errorSummary, templateErrors, (f) => `template-${f}`)}
      <form method="post" action="/dashboard/beheer/bot/sjabloon" novalidate>
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        ${templateField('purpose', w.columns.purpose, w.purposeHint, v.template?.values.purpose ?? '', templateErrors.get('purpose'))}
        ${templateField('name', w.columns.name, '', v.template?.values.name ?? '', templateErrors.get('name'))}
        ${templateField('languages', w.columns.languages, w.languagesHint, v.template?.values.languages ?? 'nl en', templateErrors.get('languages'))}
        ${templateField('parameters', w.columns.parameters, w.parametersHint, v.template?.values.parameters ?? '', undefined)}
        <div class="utrecht-form-field utrecht-form-field--checkbox">
          <div class="utrecht-form-field__input"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="template-approved" name="approved" value="yes"${v.template?.values.approved === false ? '' : html` checked`}></div>
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="template-approved">${w.approvedLabel}</label></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${w.saveTemplate}</button>
      </form>
    `,
  });
}

function textForm(ctx: ViewContext, v: BotTextsView, key: TextKey): Html {
  const w = botTextWords[ctx.lang];
  const failed = v.failed?.key === key ? v.failed : undefined;
  const max = maxLength(key);
  return html`<form method="post" action="/dashboard/beheer/bot/tekst" class="bot-text" id="text-${key}">
    <input type="hidden" name="csrf" value="${ctx.csrfToken}">
    <input type="hidden" name="key" value="${key}">
    <fieldset class="utrecht-form-fieldset">
      <legend class="utrecht-form-fieldset__legend"><code>${key}</code> (${w.kind[kindOf(key)]}, ${w.max(max)})</legend>
      ${languages.map((lang) => {
        const id = fieldId(key, lang);
        const value = failed ? failed.values[lang] : (v.overrides[lang][key] ?? '');
        const problems = failed?.problems[lang] ?? [];
        const effective = value.trim() !== '' && problems.length === 0 ? value : defaultTexts[lang][key];
        return html`<div class="utrecht-form-field${problems.length > 0 ? ' utrecht-form-field--invalid' : ''}" lang="${lang}">
          <p class="utrecht-paragraph bot-text__default" id="${id}-default">${w.standard} (${w.language[lang]}): ${defaultTexts[lang][key]}</p>
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}" lang="${ctx.lang}">${w.own(w.language[lang])}</label></div>
          ${problems.map((p) => html`<p class="utrecht-form-field-error-message" id="${id}-error">${w.problem(w.language[lang], p)}</p>`)}
          <div class="utrecht-form-field__input"><textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="${id}" name="${lang}" rows="${max <= 24 ? 1 : 3}" aria-describedby="${id}-default${problems.length > 0 ? ` ${id}-error` : ''}"${problems.length > 0 ? html` aria-invalid="true"` : ''}>${value}</textarea></div>
          <p class="utrecht-paragraph bot-text__preview"><span lang="${ctx.lang}">${w.preview}:</span> <span class="bot-text__bubble" id="${id}-preview">${previewOf(effective, v.municipalityName, lang)}</span></p>
        </div>`;
      })}
      <button type="submit" class="utrecht-button utrecht-button--secondary-action" aria-label="${w.saveLabel(key)}">${w.save}</button>
    </fieldset>
  </form>`;
}

function templateField(name: string, label: string, hint: string, value: string, error: string | undefined): Html {
  const id = `template-${name}`;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="utrecht-form-field${error ? ' utrecht-form-field--invalid' : ''}">
    <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${label}</label></div>
    ${hint ? html`<p class="utrecht-form-field-description" id="${id}-hint">${hint}</p>` : ''}
    ${error ? html`<p class="utrecht-form-field-error-message" id="${id}-error">${error}</p>` : ''}
    <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="${id}" name="${name}" type="text" value="${value}"${described ? html` aria-describedby="${described}"` : ''}${error ? html` aria-invalid="true"` : ''}></div>
  </div>`;
}
