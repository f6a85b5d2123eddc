/**
 * Temporary tables (issue 6): the invitation form and the organiser's page (counts, and the numbers of residents who
 * consented to pass them on). Dutch first, English version.
 */
import { html } from 'hono/html';
import type { Meeting, Poll } from '../../db/database.ts';
import type { InvitationContacts } from '../../db/repositories/tables.ts';
import type { Html } from '../../app/http/layout.ts';
import type { InvitationCounts } from '../../pipeline/loop/tables.ts';
import { countText, shown } from '../suppression.ts';
import { errorSummary, fieldError, type FieldErrors } from './form.ts';
import { dashboardPage, type ViewContext } from './shell.ts';

const texts = {
  nl: {
    title: 'Uitnodiging voor een tijdelijke tafel',
    intro:
      'Nodig bewoners van één cluster uit voor een bijeenkomst of gesprek over het onderwerp. Alleen bewoners die zeiden dat ze uitgenodigd mogen worden, krijgen de uitnodiging, met drie knoppen: "Ja, deel mijn nummer", "Ja, ik kom zelf" en "Nee, ik kom niet". Na het opslaan ziet u hoeveel bewoners u bereikt en verstuurt u de uitnodiging; aan minder dan 5 bewoners wordt niet verstuurd.',
    cluster: 'Cluster (onderwerp)',
    meetingTitle: 'Titel',
    when: 'Wanneer',
    where: 'Waar',
    text: 'Toelichting (optioneel)',
    create: 'Uitnodiging opslaan',
    errorHeading: 'Er is iets niet goed ingevuld',
    errors: { cluster: 'Kies een cluster van uw gemeente.', title: 'Vul een titel in (hoogstens 100 tekens).', when: 'Vul in wanneer (hoogstens 100 tekens).', where: 'Vul in waar (hoogstens 150 tekens).', text: 'De uitnodiging is te lang: maak de toelichting korter.' },
    organiser: 'Tijdelijke tafel',
    newInvitation: 'Bewoners van een cluster uitnodigen voor een tijdelijke tafel',
    organiserLink: 'Aantallen en contact (tijdelijke tafel)',
    figures: 'Aantallen',
    invited: 'Uitgenodigd',
    accepted: 'Komen',
    declined: 'Komen niet',
    noAnswer: 'Nog geen antwoord',
    notSent: 'De uitnodiging is nog niet verstuurd.',
    toPoll: 'Naar verzenden en bezorging',
    contacts: 'Contact met bewoners die komen',
    contactsNote: 'Alleen bewoners die "Ja, deel mijn nummer" kozen. Het bekijken wordt vastgelegd in het auditlog.',
    showContacts: 'Nummers bekijken',
    numbers: 'WhatsApp-nummers',
    noNumbers: 'Nog niemand gaf toestemming om het nummer door te geven.',
    webChat: (n: string) => `${n} bewoner(s) via de webchat gaven toestemming, maar hebben geen nummer: zij zijn alleen in de chat te bereiken.`,
  },
  en: {
    title: 'Invitation to a temporary table',
    intro:
      'Invite residents of one cluster to a meeting or conversation on its topic. Only residents who said they may be invited get it, with three buttons: "Ja, deel mijn nummer" (yes, share my number), "Ja, ik kom zelf" (yes, I come myself) and "Nee, ik kom niet" (no). After saving you see how many residents it reaches and send it; it is not sent to fewer than 5 residents.',
    cluster: 'Cluster (topic)',
    meetingTitle: 'Title',
    when: 'When',
    where: 'Where',
    text: 'Explanation (optional)',
    create: 'Save invitation',
    errorHeading: 'Something is not filled in correctly',
    errors: { cluster: 'Choose a cluster of your municipality.', title: 'Enter a title (at most 100 characters).', when: 'Enter when (at most 100 characters).', where: 'Enter where (at most 150 characters).', text: 'The invitation is too long: shorten the explanation.' },
    organiser: 'Temporary table',
    newInvitation: 'Invite residents of a cluster to a temporary table',
    organiserLink: 'Figures and contact (temporary table)',
    figures: 'Figures',
    invited: 'Invited',
    accepted: 'Coming',
    declined: 'Not coming',
    noAnswer: 'No answer yet',
    notSent: 'The invitation has not been sent yet.',
    toPoll: 'To sending and delivery',
    contacts: 'Contact with residents who come',
    contactsNote: 'Only residents who chose "Ja, deel mijn nummer". Viewing is recorded in the audit log.',
    showContacts: 'View numbers',
    numbers: 'WhatsApp numbers',
    noNumbers: 'Nobody has consented to share their number yet.',
    webChat: (n: string) => `${n} resident(s) in the web chat consented but have no number: they can be reached in the chat only.`,
  },
};
export type TableTexts = (typeof texts)['nl'];
export const tableTextsFor = (lang: string): TableTexts => (lang === 'en' ? texts.en : texts.nl);

export type InvitationFormValues = Meeting & { clusterId: string };

export function invitationFormPage(ctx: ViewContext, options: { clusters: readonly { id: string; label: string }[]; values: InvitationFormValues; errors?: FieldErrors }): Html {
  const t = tableTextsFor(ctx.lang);
  const errors = options.errors ?? new Map<string, string>();
  const v = options.values;
  const field = (name: 'title' | 'when' | 'where', label: string, max: number) => {
    const e = fieldError(`table-${name}`, errors.get(name));
    return html`<div class="utrecht-form-field${e.invalid}">
      <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="table-${name}">${label}</label></div>
      ${e.message}
      <div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="table-${name}" name="${name}" type="text" maxlength="${max}" required value="${v[name]}"${e.attrs}></div>
    </div>`;
  };
  const cluster = fieldError('table-cluster', errors.get('cluster'));
  const text = fieldError('table-text', errors.get('text'));
  return dashboardPage(ctx, {
    title: t.title,
    section: 'polls',
    body: html`<h1 class="utrecht-heading-1">${t.title}</h1>
      <p class="utrecht-paragraph">${t.intro}</p>
      ${errorSummary(t.errorHeading, errors, (f) => `table-${f}`)}
      <form method="post" action="/dashboard/peilingen/uitnodiging" id="table-create">
        <input type="hidden" name="csrf" value="${ctx.csrfToken}">
        <div class="utrecht-form-field${cluster.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="table-cluster">${t.cluster}</label></div>
          ${cluster.message}
          <div class="utrecht-form-field__input"><select class="utrecht-select utrecht-select--html-select" id="table-cluster" name="cluster" required${cluster.attrs}>
            ${options.clusters.map((c) => html`<option value="${c.id}"${c.id === v.clusterId ? ' selected' : ''}>${c.label}</option>`)}
          </select></div>
        </div>
        ${field('title', t.meetingTitle, 100)}
        ${field('when', t.when, 100)}
        ${field('where', t.where, 150)}
        <div class="utrecht-form-field${text.invalid}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="table-text">${t.text}</label></div>
          ${text.message}
          <div class="utrecht-form-field__input"><textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="table-text" name="text" rows="3" maxlength="400"${text.attrs}>${v.text}</textarea></div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${t.create}</button>
      </form>`,
  });
}

export function tablePage(ctx: ViewContext, options: { poll: Poll & { meeting: Meeting }; counts?: InvitationCounts; contacts?: InvitationContacts }): Html {
  const t = tableTextsFor(ctx.lang);
  const { poll, counts, contacts } = options;
  const m = poll.meeting;
  const n = (value: number) => countText(shown(value, value), ctx.t.locale);
  const figures = counts
    ? html`<dl id="table-figures">
        <dt>${t.invited}</dt><dd data-figure="invited">${n(counts.invited)}</dd>
        <dt>${t.accepted}</dt><dd data-figure="accepted">${n(counts.accepted)}</dd>
        <dt>${t.declined}</dt><dd data-figure="declined">${n(counts.declined)}</dd>
        <dt>${t.noAnswer}</dt><dd data-figure="no-answer">${n(counts.noAnswer)}</dd>
      </dl>`
    : html`<p class="utrecht-paragraph" id="table-not-sent">${t.notSent}</p>`;
  const contactList = contacts
    ? html`<h3 class="utrecht-heading-3">${t.numbers}</h3>
        ${contacts.whatsapp.length === 0 ? html`<p class="utrecht-paragraph" id="table-no-numbers">${t.noNumbers}</p>` : html`<ul class="utrecht-unordered-list" id="table-numbers">${contacts.whatsapp.map((c) => html`<li class="utrecht-unordered-list__item">${c}</li>`)}</ul>`}
        ${contacts.webChat > 0 ? html`<p class="utrecht-paragraph" id="table-web-chat">${t.webChat(String(contacts.webChat))}</p>` : ''}`
    : html`<p class="utrecht-paragraph"><a class="utrecht-link" id="table-show-contacts" href="/dashboard/peilingen/${poll.id}/tafel/contact">${t.showContacts}</a></p>`;
  return dashboardPage(ctx, {
    title: `${t.organiser}: ${m.title}`,
    section: 'polls',
    body: html`<h1 class="utrecht-heading-1">${t.organiser}: ${m.title}</h1>
      <dl id="table-meeting"><dt>${t.when}</dt><dd>${m.when}</dd><dt>${t.where}</dt><dd>${m.where}</dd>${m.text.trim() !== '' ? html`<dt>${t.text}</dt><dd>${m.text}</dd>` : ''}</dl>
      <p class="utrecht-paragraph"><a class="utrecht-link" href="/dashboard/peilingen/${poll.id}">${t.toPoll}</a></p>
      <section aria-labelledby="table-figures-heading">
        <h2 class="utrecht-heading-2" id="table-figures-heading">${t.figures}</h2>
        ${figures}
      </section>
      ${counts
        ? html`<section aria-labelledby="table-contacts-heading">
            <h2 class="utrecht-heading-2" id="table-contacts-heading">${t.contacts}</h2>
            <p class="utrecht-paragraph">${t.contactsNote}</p>
            ${contactList}
          </section>`
        : ''}`,
  });
}
