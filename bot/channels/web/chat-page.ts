/** The residents' web chat page: plain forms that work without JavaScript, on a phone and with a screen reader. */
import { html } from 'hono/html';
import { page, type Html } from '../../../app/http/layout.ts';

export interface ChatLine {
  direction: 'in' | 'out';
  text: string;
}

/** A quick reply: a button that posts its id, so tapping it is the same as typing the answer. */
export interface ChatChoice {
  id: string;
  title: string;
}

export const maxMessageLength = 4000;

export function chatPage(options: {
  municipalityName: string;
  action: string;
  lines: ChatLine[];
  choices?: ChatChoice[];
  /** The conversation's language: the bot's lines carry it, so a screen reader pronounces English as English. */
  language?: string | null;
  error?: string | undefined;
  draft?: string;
}): Html {
  const { lines, error } = options;
  const choices = options.choices ?? [];
  return page({
    title: `Chat met ${options.municipalityName}`,
    body: html`
      <h1>Vertel het ons</h1>
      <p>Wat gaat er goed of mis met zorg, hulp, geld, wonen of jouw buurt? De gemeente ${options.municipalityName} leest mee
        en gebruikt je verhaal om beter beleid te maken. Je mag anoniem blijven. Typ 'hulp' als je vastloopt.</p>
      <section aria-label="Gesprek" class="chat-log" aria-live="polite">
        ${lines.length === 0
          ? html`<p class="chat-empty">Nog geen berichten.</p>`
          : html`<ol class="chat-lines">
              ${lines.map(
                (l) => html`<li class="chat-line chat-line--${l.direction}"${l.direction === 'out' && options.language === 'en' ? html` lang="en"` : ''}><span class="visually-hidden">${l.direction === 'in' ? 'Jij' : 'Wijkstem'}: </span>${l.text}</li>`,
              )}
            </ol>`}
      </section>
      ${choices.length > 0
        ? html`<form method="post" action="${options.action}" class="chat-choices" aria-label="Snel antwoorden"${options.language === 'en' ? html` lang="en"` : ''}>
            ${choices.map((ch) => html`<button type="submit" name="choice" value="${ch.id}">${ch.title}</button> `)}
          </form>`
        : ''}
      <form method="post" action="${options.action}" class="chat-form">
        ${error ? html`<p class="form-error" id="chat-error" role="alert">${error}</p>` : ''}
        <label for="chat-text">Jouw bericht</label>
        <textarea id="chat-text" name="text" rows="4" maxlength="${maxMessageLength}" required
          ${error ? html`aria-invalid="true" aria-describedby="chat-error"` : ''}>${options.draft ?? ''}</textarea>
        <button type="submit">Verstuur</button>
      </form>`,
  });
}

/** A short privacy statement in B1 Dutch; a municipality links its own through settings.privacyUrl. */
export function privacyPage(): Html {
  return page({
    title: 'Privacy',
    body: html`
      <h1>Wat doen we met je verhaal?</h1>
      <ul>
        <li>Je mag anoniem blijven. We vragen niet naar je naam.</li>
        <li>We gebruiken je verhaal pas als je daar ja op zegt. Zeg je nee, dan gebruiken we je bericht niet.</li>
        <li>Persoonlijke gegevens, zoals een naam of telefoonnummer, halen we uit je verhaal voordat iemand het leest.</li>
        <li>Medewerkers van de gemeente en de adviesraad lezen je verhaal. Ze gebruiken het om beter beleid te maken.</li>
        <li>Op WhatsApp bewaren we je nummer alleen om je te kunnen antwoorden.</li>
        <li>Typ 'verwijder mijn gegevens' in de chat, dan wissen we alles wat we van je hebben.</li>
        <li>Is er gevaar? Bel 112.</li>
      </ul>
      <p><a href="/chat">Terug naar de chat</a></p>`,
  });
}
