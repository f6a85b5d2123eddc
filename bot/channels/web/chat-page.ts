/**
 * The residents' web chat page in NL Design System markup (Utrecht component classes, the municipality's theme):
 * plain forms that work without JavaScript, on a phone and with a screen reader. The chat script (bot/assets/chat.js)
 * only enhances it: posting without a reload, announcing the new reply, resending what failed to send.
 */
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

const ui = {
  nl: {
    title: (m: string) => `Chat met ${m}`,
    heading: 'Vertel het ons',
    intro: (m: string) =>
      `Wat gaat er goed of mis met zorg, hulp, geld, wonen of jouw buurt? De gemeente ${m} leest mee en gebruikt je verhaal om beter beleid te maken. Je mag anoniem blijven. Typ 'hulp' als je vastloopt.`,
    log: 'Gesprek',
    empty: 'Nog geen berichten.',
    you: 'Jij',
    quick: 'Snel antwoorden',
    label: 'Jouw bericht',
    send: 'Verstuur',
  },
  en: {
    title: (m: string) => `Chat with ${m}`,
    heading: 'Tell us',
    intro: (m: string) =>
      `What goes well or wrong with care, support, money, housing or your neighbourhood? The municipality of ${m} reads along and uses your story to make better policy. You may stay anonymous. Type 'help' if you get stuck.`,
    log: 'Conversation',
    empty: 'No messages yet.',
    you: 'You',
    quick: 'Quick replies',
    label: 'Your message',
    send: 'Send',
  },
} as const;

export function chatPage(options: {
  municipalityName: string;
  /** The municipality's theme (dashboards/theme.ts, served from /assets/theme). */
  municipalityCode?: string;
  action: string;
  lines: ChatLine[];
  choices?: ChatChoice[];
  /** The conversation's language: the page follows it, so a screen reader pronounces English as English. */
  language?: string | null;
  error?: string | undefined;
  draft?: string;
  /** Shown right after a post without JavaScript: the newest reply takes the focus, so it is read out. */
  afterPost?: boolean;
  /** Makes the idempotency key of each form: a second press of the same form is stored once. */
  messageId?: () => string;
}): Html {
  const { lines, error } = options;
  const lang = options.language === 'en' ? 'en' : 'nl';
  const t = ui[lang];
  const choices = options.choices ?? [];
  const mid = options.messageId ?? (() => '');
  const newest = lines.at(-1)?.direction === 'out' ? lines.length - 1 : -1;
  const midField = () => {
    const id = mid();
    return id ? html`<input type="hidden" name="mid" value="${id}">` : '';
  };
  return page({
    title: t.title(options.municipalityName),
    lang,
    scripts: ['chat.js'],
    ...(options.municipalityCode ? { themeHref: `/assets/theme/${options.municipalityCode}.css` } : {}),
    styles: ['chat.css'],
    body: html`
      <h1 class="utrecht-heading-1">${t.heading}</h1>
      <p class="utrecht-paragraph">${t.intro(options.municipalityName)}</p>
      <section aria-labelledby="chat-log-heading" class="chat-log" id="chat-log" data-you="${t.you}" data-empty="${t.empty}">
        <h2 class="visually-hidden" id="chat-log-heading">${t.log}</h2>
        ${lines.length === 0
          ? html`<p class="utrecht-paragraph chat-empty">${t.empty}</p>`
          : html`<ol class="chat-lines">
              ${lines.map(
                (l, i) =>
                  html`<li class="chat-line chat-line--${l.direction}"${l.direction === 'out' && lang === 'en' ? html` lang="en"` : ''}${i === newest ? html` id="chat-newest"` : ''}${i === newest && options.afterPost ? html` tabindex="-1" autofocus` : ''}><span class="visually-hidden">${l.direction === 'in' ? t.you : 'Wijkstem'}: </span>${l.text}</li>`,
              )}
            </ol>`}
      </section>
      <div id="chat-announce" class="visually-hidden" aria-live="polite" aria-atomic="true"></div>
      <div id="chat-status" class="chat-status" role="status"></div>
      ${choices.length > 0
        ? html`<form method="post" action="${options.action}" class="chat-choices" id="chat-choices" aria-label="${t.quick}">
            ${midField()}
            <div class="utrecht-button-group">
              ${choices.map((ch) => html`<button type="submit" class="utrecht-button utrecht-button--secondary-action" name="choice" value="${ch.id}">${ch.title}</button>`)}
            </div>
          </form>`
        : ''}
      <form method="post" action="${options.action}" class="chat-form" id="chat-form">
        ${midField()}
        <div class="utrecht-form-field utrecht-form-field--textarea${error ? ' utrecht-form-field--invalid' : ''}">
          <div class="utrecht-form-field__label"><label class="utrecht-form-label" for="chat-text">${t.label}</label></div>
          ${error ? html`<p class="utrecht-form-field-error-message" id="chat-error" role="alert">${error}</p>` : ''}
          <div class="utrecht-form-field__input">
            <textarea class="utrecht-textarea" id="chat-text" name="text" rows="4" maxlength="${maxMessageLength}" required
              ${error ? html`aria-invalid="true" aria-describedby="chat-error"` : ''}>${options.draft ?? ''}</textarea>
          </div>
        </div>
        <button type="submit" class="utrecht-button utrecht-button--primary-action">${t.send}</button>
      </form>`,
  });
}
