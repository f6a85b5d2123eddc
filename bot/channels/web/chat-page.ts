/** The residents' web chat page: a plain form that works without JavaScript, on a phone and with a screen reader. */
import { html } from 'hono/html';
import { page, type Html } from '../../../app/http/layout.ts';

export interface ChatLine {
  direction: 'in' | 'out';
  text: string;
}

export const maxMessageLength = 4000;

export function chatPage(options: { municipalityName: string; action: string; lines: ChatLine[]; error?: string | undefined; draft?: string }): Html {
  const { lines, error } = options;
  return page({
    title: `Chat met ${options.municipalityName}`,
    body: html`
      <h1>Vertel het ons</h1>
      <p>Wat gaat er goed of mis met zorg, hulp, geld, wonen of jouw buurt? De gemeente ${options.municipalityName} leest mee
        en gebruikt je verhaal om beter beleid te maken. Je mag anoniem blijven.</p>
      <section aria-label="Gesprek" class="chat-log" aria-live="polite">
        ${lines.length === 0
          ? html`<p class="chat-empty">Nog geen berichten.</p>`
          : html`<ol class="chat-lines">
              ${lines.map(
                (l) => html`<li class="chat-line chat-line--${l.direction}"><span class="visually-hidden">${l.direction === 'in' ? 'Jij' : 'Wijkstem'}: </span>${l.text}</li>`,
              )}
            </ol>`}
      </section>
      <form method="post" action="${options.action}" class="chat-form">
        ${error ? html`<p class="form-error" id="chat-error" role="alert">${error}</p>` : ''}
        <label for="chat-text">Jouw bericht</label>
        <textarea id="chat-text" name="text" rows="4" maxlength="${maxMessageLength}" required
          ${error ? html`aria-invalid="true" aria-describedby="chat-error"` : ''}>${options.draft ?? ''}</textarea>
        <button type="submit">Verstuur</button>
      </form>`,
  });
}
