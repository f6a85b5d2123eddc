/**
 * The public summary of a municipality's agenda (/publiek/GM0479): topics decided or reported back and what was done.
 * Only what the council wrote for the public (title, advice, decision, the message residents got): no description,
 * no cluster labels (they are made of residents' words), no notes, no names, no counts of small groups.
 */
import { html } from 'hono/html';
import type { AgendaItem, Municipality } from '../../db/database.ts';
import { page, type Html } from '../../app/http/layout.ts';
import type { Lang } from '../i18n.ts';
import { agendaTextsFor } from './agenda-texts.ts';

export function publicAgendaPage(municipality: Municipality, items: readonly AgendaItem[], lang: Lang, path: string): Html {
  const a = agendaTextsFor(lang);
  const p = a.publicPage;
  const date = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' });
  const feedback = (item: AgendaItem) => (lang === 'en' && item.feedback_en !== null && item.feedback_en.trim() !== '' ? item.feedback_en : item.feedback_nl);
  const entry = (item: AgendaItem): Html => {
    const id = `item-${item.id}`;
    const told = item.status === 'reported_back' ? feedback(item) : null;
    return html`<article class="public-item" aria-labelledby="${id}">
      <h2 class="utrecht-heading-2" id="${id}">${item.title}</h2>
      <p class="utrecht-paragraph">${item.status === 'reported_back' && item.reported_back_at
        ? html`${p.reportedBack} <time datetime="${item.reported_back_at.toISOString()}">${date.format(item.reported_back_at)}</time>`
        : p.decided}</p>
      ${item.advice ? html`<h3 class="utrecht-heading-3">${p.advice}</h3><p class="utrecht-paragraph agenda-text">${item.advice}</p>` : ''}
      <h3 class="utrecht-heading-3">${p.decision}</h3>
      <p class="utrecht-paragraph agenda-text">${item.decision ?? ''}</p>
      ${told ? html`<h3 class="utrecht-heading-3">${p.feedback}</h3><p class="utrecht-paragraph agenda-text">${told}</p>` : ''}
    </article>`;
  };
  const header = html`<header class="utrecht-page-header"><p class="utrecht-paragraph"><a class="utrecht-link" href="${path}?lang=${p.other.lang}" lang="${p.other.lang}" hreflang="${p.other.lang}">${p.other.label}</a></p></header>`;
  return page({
    title: p.title(municipality.name),
    lang,
    header,
    body: html`<h1 class="utrecht-heading-1">${p.heading(municipality.name)}</h1>
      <p class="utrecht-paragraph">${p.intro}</p>
      ${items.length === 0 ? html`<p class="utrecht-paragraph" id="public-none">${p.none}</p>` : items.map(entry)}`,
  });
}
