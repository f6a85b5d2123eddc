/**
 * The public summary (/publiek/:gemeentecode, e.g. /publiek/GM0479): no login, so it shows only what the council
 * wrote for the public about decided and reported-back topics, and only when the municipality's administrator
 * turned it on (settings.publicAgenda, off by default). Anything else, a bad code included, is a plain 404.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { listAgendaItems, publishesAgenda } from '../../db/repositories/agenda.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import { publicAgendaPage } from '../views/agenda-public.ts';

export function publicAgendaRoutes(deps: { db: Kysely<Database> }): Hono {
  const app = new Hono();
  app.get('/publiek/:code', async (c) => {
    const code = c.req.param('code');
    const municipality = /^GM\d{4}$/.test(code) ? await getMunicipality(deps.db, code) : undefined;
    if (!municipality || !publishesAgenda(municipality.settings)) return c.text('Niet gevonden.', 404);
    const lang = c.req.query('lang') === 'en' ? 'en' : 'nl';
    const items = await listAgendaItems(deps.db, [code], { statuses: ['decided', 'reported_back'] });
    // Public: a cache may keep it a little while; it holds nothing personal.
    c.header('cache-control', 'public, max-age=60');
    return c.html(publicAgendaPage(municipality, items, lang, `/publiek/${code}`));
  });
  return app;
}
