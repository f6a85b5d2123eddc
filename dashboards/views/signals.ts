import { html } from 'hono/html';
import type { Municipality, User } from '../../db/database.ts';
import type { SignalListItem } from '../../db/repositories/signals.ts';
import { page, type Html } from '../../app/http/layout.ts';

const statusLabels: Record<SignalListItem['status'], string> = {
  new: 'nieuw',
  received: 'ontvangen',
  analysed: 'geanalyseerd',
  failed: 'mislukt',
};

const sourceLabels: Record<SignalListItem['source'], string> = {
  whatsapp: 'WhatsApp',
  web: 'webchat',
  street: 'straatgesprek',
  import: 'import',
};

const dateTime = new Intl.DateTimeFormat('nl-NL', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' });

export function signalsPage(options: { user: User; csrfToken: string; municipalities: Municipality[]; signals: SignalListItem[] }): Html {
  const names = new Map(options.municipalities.map((m) => [m.code, m.name]));
  const several = options.municipalities.length > 1;
  return page({
    title: 'Signalen',
    body: html`
      <header class="dashboard-header">
        <p>Ingelogd als ${options.user.email} (${options.user.role})</p>
        <form method="post" action="/dashboard/logout">
          <input type="hidden" name="csrf" value="${options.csrfToken}">
          <button type="submit">Uitloggen</button>
        </form>
      </header>
      <h1>Signalen van ${options.municipalities.map((m) => m.name).join(', ')}</h1>
      <p>De tekst is ontdaan van persoonsgegevens. Aantallen laten zien wie we bereiken, niet hoe vaak iets voorkomt.</p>
      ${options.signals.length === 0
        ? html`<p>Nog geen signalen.</p>`
        : html`<table class="signals">
            <caption class="visually-hidden">Laatste signalen, nieuwste eerst</caption>
            <thead><tr>
              <th scope="col">Ontvangen</th>${several ? html`<th scope="col">Gemeente</th>` : ''}<th scope="col">Kanaal</th>
              <th scope="col">Status</th><th scope="col">Code</th><th scope="col">Tekst</th>
            </tr></thead>
            <tbody>
              ${options.signals.map(
                (s) => html`<tr>
                  <td data-label="Ontvangen"><time datetime="${s.received_at.toISOString()}">${dateTime.format(s.received_at)}</time></td>
                  ${several ? html`<td data-label="Gemeente">${names.get(s.municipality_code) ?? s.municipality_code}</td>` : ''}
                  <td data-label="Kanaal">${sourceLabels[s.source]}</td>
                  <td data-label="Status">${statusLabels[s.status]}${s.urgent ? html` <strong class="urgent">urgent</strong>` : ''}</td>
                  <td data-label="Code">${s.reference}</td>
                  <td data-label="Tekst" class="signal-text">${s.text_redacted ?? html`<em>wacht op verwerking</em>`}</td>
                </tr>`,
              )}
            </tbody>
          </table>`}`,
  });
}
