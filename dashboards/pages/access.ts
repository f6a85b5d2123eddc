/**
 * Privacy administration (/dashboard/beheer/inzage), administrators only, their own municipality only:
 * - right of access: look a resident up by a signal's reference (after checking identity outside Wijkstem), see
 *   counts, download everything held as JSON;
 * - erasure at a request made elsewhere (letter, desk), the same erasure as the bot's;
 * - the municipality's retention periods (settings.retention).
 * Every lookup, download, erasure and change is audited. References travel in POST bodies, never in URLs or logs.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database, Resident } from '../../db/database.ts';
import { findResidentByReference, residentDataExport } from '../../db/repositories/access.ts';
import { appendAudit, auditSignalView } from '../../db/repositories/audit.ts';
import { eraseResident } from '../../db/repositories/erasure.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import { defaultRetention, parseRetentionInput, retentionFor, type RetentionPolicy } from '../../pipeline/privacy/retention.ts';
import { accessPage, accessTexts, type FoundResident } from '../views/access.ts';
import type { ViewContext } from '../views/shell.ts';
import { requireRole, stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

const REFERENCE = /^WS-[2-9A-HJKMNP-Z]{6}$/;

export interface AccessDeps extends PageDeps {
  /** The configured default retention (WIJKSTEM_RETENTION_*). */
  retention?: RetentionPolicy | undefined;
}

async function countOf(db: Kysely<Database>, table: 'signals' | 'messages' | 'conversations', residentId: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('resident_id', '=', residentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function accessRoutes(deps: AccessDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const defaults = deps.retention ?? defaultRetention;
  const app = new Hono<DashboardEnv>();
  app.use('*', requireRole(db, ['admin']));

  const render = async (ctx: ViewContext, extra: Omit<Parameters<typeof accessPage>[1], 'municipalityCode' | 'policy' | 'defaults'> = {}) => {
    const municipality = await getMunicipality(db, ctx.user.municipality_code);
    return accessPage(ctx, { municipalityCode: ctx.user.municipality_code, policy: retentionFor(municipality?.settings ?? {}, defaults), defaults, ...extra });
  };

  /** The reference from the form, checked, and the resident behind it in the admin's own municipality; audited either way. */
  const lookup = async (ctx: ViewContext, body: Record<string, unknown>, action: string): Promise<{ reference: string; resident: Resident | undefined } | { error: string; reference: string }> => {
    const reference = stringField(body, 'reference').trim().toUpperCase().slice(0, 20);
    if (!REFERENCE.test(reference)) return { error: accessTexts(ctx.lang).badReference, reference };
    const resident = await findResidentByReference(db, ctx.user.municipality_code, reference);
    await appendAudit(db, {
      actor_kind: 'user',
      actor_id: ctx.user.id,
      action,
      municipality_code: ctx.user.municipality_code,
      subject_type: 'resident',
      subject_id: resident?.id ?? null,
      details: { reference, found: resident !== undefined },
    });
    return { reference, resident };
  };

  app.get('/', async (c) => c.html(await render(await viewContext(c, db))));

  app.post('/zoeken', async (c) => {
    const ctx = await viewContext(c, db);
    const found = await lookup(ctx, await c.req.parseBody(), 'resident.access-lookup');
    if ('error' in found) return c.html(await render(ctx, { reference: found.reference, lookupError: found.error }), 400);
    if (!found.resident) return c.html(await render(ctx, { reference: found.reference, notFound: true }), 404);
    const r = found.resident;
    const summary: FoundResident = {
      reference: found.reference,
      signals: await countOf(db, 'signals', r.id),
      messages: await countOf(db, 'messages', r.id),
      conversations: await countOf(db, 'conversations', r.id),
      hasContact: r.contact !== null,
      erased: r.erased_at !== null,
    };
    return c.html(await render(ctx, { reference: found.reference, found: summary }));
  });

  app.post('/downloaden', async (c) => {
    const ctx = await viewContext(c, db);
    const found = await lookup(ctx, await c.req.parseBody(), 'resident.access-export');
    if ('error' in found) return c.html(await render(ctx, { reference: found.reference, lookupError: found.error }), 400);
    if (!found.resident) return c.html(await render(ctx, { reference: found.reference, notFound: true }), 404);
    const data = await residentDataExport(db, found.resident.id);
    if (!data) return c.html(await render(ctx, { reference: found.reference, notFound: true }), 404);
    // The file holds the resident's own words: a view of signal text like any other.
    await auditSignalView(db, ctx.user, data.signals.map((s) => s.id), { view: 'resident.access-export' });
    return c.body(JSON.stringify(data, null, 2), 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="wijkstem-gegevens-${found.reference}.json"`,
    });
  });

  app.post('/wissen', async (c) => {
    const ctx = await viewContext(c, db);
    const body = await c.req.parseBody();
    const found = await lookup(ctx, body, 'resident.erase-lookup');
    if ('error' in found) return c.html(await render(ctx, { reference: found.reference, lookupError: found.error }), 400);
    const resident = found.resident;
    if (!resident) return c.html(await render(ctx, { reference: found.reference, notFound: true }), 404);
    if (stringField(body, 'confirm') !== 'yes') {
      const summary: FoundResident = {
        reference: found.reference,
        signals: await countOf(db, 'signals', resident.id),
        messages: await countOf(db, 'messages', resident.id),
        conversations: await countOf(db, 'conversations', resident.id),
        hasContact: resident.contact !== null,
        erased: resident.erased_at !== null,
      };
      return c.html(await render(ctx, { reference: found.reference, found: summary, eraseError: accessTexts(ctx.lang).eraseMissing }), 400);
    }
    const counts = await db.transaction().execute(async (trx) => {
      const erased = await eraseResident(trx, resident.id, { keepContact: false });
      await appendAudit(trx, {
        actor_kind: 'user',
        actor_id: ctx.user.id,
        action: 'resident.erased',
        municipality_code: ctx.user.municipality_code,
        subject_type: 'resident',
        subject_id: resident.id,
        details: { ...erased, on: 'request-elsewhere' },
      });
      return erased;
    });
    return c.html(await render(ctx, { erasedSignals: counts.signals }));
  });

  app.post('/bewaren', async (c) => {
    const ctx = await viewContext(c, db);
    const body = await c.req.parseBody();
    const values = { messagesDays: stringField(body, 'messagesDays').slice(0, 10), contactDays: stringField(body, 'contactDays').slice(0, 10) };
    const parsed = parseRetentionInput(values);
    if ('errors' in parsed) {
      const message = accessTexts(ctx.lang).days;
      const errors = new Map(Object.keys(parsed.errors).map((field) => [field, message]));
      return c.html(await render(ctx, { retentionErrors: errors, retentionValues: values }), 400);
    }
    await db.transaction().execute(async (trx) => {
      const municipality = await trx.selectFrom('municipalities').select('settings').where('code', '=', ctx.user.municipality_code).forUpdate().executeTakeFirstOrThrow();
      const before = retentionFor(municipality.settings, defaults);
      await trx
        .updateTable('municipalities')
        .set({ settings: JSON.stringify({ ...municipality.settings, retention: parsed.policy }) })
        .where('code', '=', ctx.user.municipality_code)
        .execute();
      await appendAudit(trx, {
        actor_kind: 'user',
        actor_id: ctx.user.id,
        action: 'privacy.retention-settings',
        municipality_code: ctx.user.municipality_code,
        subject_type: 'municipality',
        subject_id: ctx.user.municipality_code,
        details: { before, after: parsed.policy },
      });
    });
    return c.html(await render(ctx, { retentionSaved: true }));
  });

  return app;
}
