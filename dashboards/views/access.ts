/**
 * Privacy administration (/dashboard/beheer/inzage): find a resident by a signal's reference code to give them what
 * is held about them (right of access) or erase it on their request, and the municipality's retention periods.
 * Counts and references only on the page; the text itself is in the downloaded JSON, whose download is audited.
 */
import { html } from 'hono/html';
import type { Html } from '../../app/http/layout.ts';
import type { Lang } from '../i18n.ts';
import type { RetentionPolicy } from '../../pipeline/privacy/retention.ts';
import { alertOk, errorSummary, fieldError, type FieldErrors } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

const texts = {
  nl: {
    title: 'Privacy: inzage en wissen',
    heading: 'Privacy: inzage, wissen en bewaartermijnen',
    lookupHeading: 'Inzage of wissen op verzoek van een inwoner',
    lookupIntro:
      'Een inwoner vraagt wat we van hem of haar bewaren, of vraagt alles te wissen. Controleer eerst buiten Wijkstem wie het vraagt (bijvoorbeeld aan de balie of met een reactie op het bericht dat de inwoner kreeg). Vraag daarna de code van een signaal, zoals WS-7K3P9Q. Elke zoekactie komt in het logboek.',
    reference: 'Code van het signaal',
    referenceHint: 'Staat in het bericht dat de inwoner van de chat kreeg, bijvoorbeeld WS-7K3P9Q.',
    find: 'Zoeken',
    badReference: 'Vul een code in zoals WS-7K3P9Q.',
    notFound: 'Met deze code vinden we geen inwoner in jouw gemeente. Een straatnotitie of import hoort niet bij een inwoner.',
    found: (reference: string) => `Gegevens bij code ${reference}`,
    counts: { signals: 'Signalen', messages: 'Berichten', conversations: 'Gesprekken', contact: 'Telefoonnummer bewaard', erased: 'Eerder gewist op verzoek' },
    yes: 'ja',
    no: 'nee',
    download: 'Alle gegevens downloaden (JSON)',
    downloadHint: 'Geef dit bestand alleen aan de inwoner zelf. Het bevat de eigen woorden van de inwoner.',
    eraseHeading: 'Alles wissen',
    eraseConfirm: 'De inwoner heeft gevraagd alles te wissen, en ik heb gecontroleerd wie het vraagt.',
    erase: 'Alles van deze inwoner wissen',
    eraseMissing: 'Vink aan dat de inwoner dit vroeg en dat je hebt gecontroleerd wie het vraagt.',
    erased: (n: number) => `Gewist: ${n} signalen met hun berichten en gesprekken. Clusters zijn opnieuw geteld.`,
    retentionHeading: 'Bewaartermijnen',
    retentionIntro: 'Na deze termijnen verwijdert Wijkstem elke nacht automatisch gegevens. De tekst zonder persoonsgegevens en de analyse blijven.',
    messagesDays: 'Dagen dat we de letterlijke tekst van berichten bewaren',
    contactDays: 'Dagen zonder contact waarna we telefoonnummer en kenmerk van de inwoner wissen',
    days: 'Vul een heel aantal dagen in, van 1 tot en met 3650.',
    save: 'Bewaartermijnen opslaan',
    saved: 'De bewaartermijnen zijn opgeslagen.',
    defaults: (p: RetentionPolicy) => `Standaard voor deze installatie: ${p.messagesDays} en ${p.contactDays} dagen.`,
    privacyPage: 'Bekijk de openbare privacypagina',
  },
  en: {
    title: 'Privacy: access and erasure',
    heading: 'Privacy: access, erasure and retention',
    lookupHeading: 'Access or erasure at a resident’s request',
    lookupIntro:
      'A resident asks what we keep about them, or asks us to erase it all. First check outside Wijkstem who is asking (for example at the desk, or by a reply to the message the resident received). Then ask for the code of a signal, like WS-7K3P9Q. Every lookup is logged.',
    reference: 'Signal code',
    referenceHint: 'It is in the message the resident got from the chat, for example WS-7K3P9Q.',
    find: 'Look up',
    badReference: 'Enter a code like WS-7K3P9Q.',
    notFound: 'No resident of your municipality has a signal with this code. A street note or import belongs to no resident.',
    found: (reference: string) => `Data with code ${reference}`,
    counts: { signals: 'Signals', messages: 'Messages', conversations: 'Conversations', contact: 'Phone number kept', erased: 'Erased on request before' },
    yes: 'yes',
    no: 'no',
    download: 'Download all data (JSON)',
    downloadHint: 'Give this file to the resident only. It holds the resident’s own words.',
    eraseHeading: 'Erase everything',
    eraseConfirm: 'The resident asked to erase everything, and I checked who is asking.',
    erase: 'Erase everything of this resident',
    eraseMissing: 'Tick that the resident asked for this and that you checked who is asking.',
    erased: (n: number) => `Erased: ${n} signals with their messages and conversations. Clusters were counted again.`,
    retentionHeading: 'Retention periods',
    retentionIntro: 'After these periods Wijkstem removes data automatically every night. The text without personal data and the analysis stay.',
    messagesDays: 'Days we keep the literal text of messages',
    contactDays: 'Days without contact after which we erase the resident’s phone number and pseudonym',
    days: 'Enter a whole number of days, from 1 to 3650.',
    save: 'Save retention periods',
    saved: 'The retention periods were saved.',
    defaults: (p: RetentionPolicy) => `Default for this installation: ${p.messagesDays} and ${p.contactDays} days.`,
    privacyPage: 'See the public privacy page',
  },
} as const;

export function accessTexts(lang: Lang) {
  return texts[lang];
}

export interface FoundResident {
  reference: string;
  signals: number;
  messages: number;
  conversations: number;
  hasContact: boolean;
  erased: boolean;
}

export function accessPage(
  ctx: ViewContext,
  options: {
    municipalityCode: string;
    policy: RetentionPolicy;
    defaults: RetentionPolicy;
    reference?: string;
    lookupError?: string | undefined;
    notFound?: boolean;
    found?: FoundResident | undefined;
    eraseError?: string | undefined;
    erasedSignals?: number | undefined;
    retentionErrors?: FieldErrors;
    retentionValues?: { messagesDays: string; contactDays: string };
    retentionSaved?: boolean;
  },
): Html {
  const a = texts[ctx.lang];
  const ref = fieldError('access-reference', options.lookupError);
  const retentionErrors = options.retentionErrors ?? new Map<string, string>();
  const messages = fieldError('retention-messages', retentionErrors.get('messagesDays'));
  const contact = fieldError('retention-contact', retentionErrors.get('contactDays'));
  const values = options.retentionValues ?? { messagesDays: String(options.policy.messagesDays), contactDays: String(options.policy.contactDays) };
  const found = options.found;
  const erase = fieldError('erase-confirm', options.eraseError);
  return dashboardPage(ctx, {
    title: a.title,
    section: 'privacy',
    body: html`
      <h1 class="utrecht-heading-1">${a.heading}</h1>
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/privacy?gemeente=${options.municipalityCode}&amp;lang=${ctx.lang}">${a.privacyPage}</a></p>
      <h2 class="utrecht-heading-2" id="lookup">${a.lookupHeading}</h2>
      <p class="utrecht-paragraph">${a.lookupIntro}</p>
      ${options.erasedSignals !== undefined ? alertOk(html`<p class="utrecht-paragraph" id="erased">${a.erased(options.erasedSignals)}</p>`) : ''}
      ${options.notFound ? html`<div class="utrecht-alert utrecht-alert--warning" role="status"><div class="utrecht-alert__content"><p class="utrecht-alert__message" id="not-found">${a.notFound}</p></div></div>` : ''}
      <form method="post" action="/dashboard/beheer/inzage/zoeken" class="access-form" novalidate>
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <div class="utrecht-form-field${ref.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="access-reference">${a.reference}</label></div>
          <p class="utrecht-form-field-description" id="access-reference-hint">${a.referenceHint}</p>
          ${ref.message}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="access-reference" name="reference" type="text" autocomplete="off" required aria-describedby="access-reference-hint" value="${options.reference ?? ''}"${ref.attrs}></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${a.find}</button>
      </form>
      ${found
        ? html`<section aria-labelledby="found-heading" class="access-found">
            <h2 class="utrecht-heading-2" id="found-heading">${a.found(found.reference)}</h2>
            <dl class="access-counts">
              <dt>${a.counts.signals}</dt><dd id="count-signals">${found.signals}</dd>
              <dt>${a.counts.messages}</dt><dd id="count-messages">${found.messages}</dd>
              <dt>${a.counts.conversations}</dt><dd id="count-conversations">${found.conversations}</dd>
              <dt>${a.counts.contact}</dt><dd>${found.hasContact ? a.yes : a.no}</dd>
              <dt>${a.counts.erased}</dt><dd>${found.erased ? a.yes : a.no}</dd>
            </dl>
            <form method="post" action="/dashboard/beheer/inzage/downloaden">
              <input type="hidden" name="csrf" value="${ctx.csrfToken}">
              <input type="hidden" name="reference" value="${found.reference}">
              <p class="utrecht-paragraph">${a.downloadHint}</p>
              <button type="submit" class="utrecht-button utrecht-button--secondary-action">${a.download}</button>
            </form>
            <h3 class="utrecht-heading-3">${a.eraseHeading}</h3>
            <form method="post" action="/dashboard/beheer/inzage/wissen" novalidate>
              <input type="hidden" name="csrf" value="${ctx.csrfToken}">
              <input type="hidden" name="reference" value="${found.reference}">
              <div class="utrecht-form-field utrecht-form-field--checkbox${erase.invalid}">
                ${erase.message}
                <div class="utrecht-form-field__input"><input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="erase-confirm" name="confirm" value="yes"${erase.attrs}>
                <label class="utrecht-form-label utrecht-form-label--checkbox" for="erase-confirm">${a.eraseConfirm}</label></div>
              </div>
              <button type="submit" class="utrecht-button utrecht-button--secondary-action">${a.erase}</button>
            </form>
          </section>`
        : ''}
      <h2 class="utrecht-heading-2" id="retention">${a.retentionHeading}</h2>
      <p class="utrecht-paragraph">${a.retentionIntro} ${a.defaults(options.defaults)}</p>
      ${options.retentionSaved ? alertOk(html`<p class="utrecht-paragraph" id="retention-saved">${a.saved}</p>`) : ''}
      ${errorSummary(ctx.t.errorSummary, retentionErrors, (f) => (f === 'messagesDays' ? 'retention-messages' : 'retention-contact'))}
      <form method="post" action="/dashboard/beheer/inzage/bewaren" novalidate>
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <div class="utrecht-form-field${messages.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="retention-messages">${a.messagesDays}</label></div>
          ${messages.message}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="retention-messages" name="messagesDays" type="text" inputmode="numeric" required value="${values.messagesDays}"${messages.attrs}></div>
        </div>
        <div class="utrecht-form-field${contact.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="retention-contact">${a.contactDays}</label></div>
          ${contact.message}
          <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="retention-contact" name="contactDays" type="text" inputmode="numeric" required value="${values.contactDays}"${contact.attrs}></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${a.save}</button>
      </form>`,
  });
}
