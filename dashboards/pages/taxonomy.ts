/**
 * Taxonomy administration (/dashboard/beheer/taxonomie), administrators only, their own municipality only: rename
 * labels, add domains, retire and restore them (CONTRACTS.md section 6; the default keys always stay). A key in the
 * URL that the municipality does not have is refused (404, logged). Every change is audited, and the analysers of
 * this process forget the municipality so new signals use the new set at once (other processes within a minute).
 */
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database, User } from '../../db/database.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { addDomain, DomainExistsError, renameDomain, setDomainRetired, taxonomyOf } from '../../db/repositories/taxonomy.ts';
import { invalidateAnalyserCaches } from '../../pipeline/analysis/context.ts';
import { DOMAIN_KEY, isDefaultDomainKey, type MunicipalDomain } from '../../pipeline/taxonomy.ts';
import { texts } from '../i18n.ts';
import type { FieldErrors } from '../views/form.ts';
import { taxonomyPage, taxonomyTexts, withDomainLabels, type TaxonomyChange } from '../views/taxonomy.ts';
import type { ViewContext } from '../views/shell.ts';
import { refuse, stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

const MAX_LABEL = 80;

/** Mounted by adminRoutes, behind its administrator check. */
export function taxonomyRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();

  const render = async (ctx: ViewContext, extra: Partial<Omit<Parameters<typeof taxonomyPage>[1], 'domains'>> = {}) =>
    taxonomyPage(ctx, { domains: await taxonomyOf(db, ctx.user.municipality_code), errors: new Map(), values: { key: '', nl: '', en: '' }, ...extra });

  /** The domain named in the URL, if the administrator's municipality has it; a logged refusal otherwise. */
  const domain = async (c: Context<DashboardEnv>): Promise<MunicipalDomain | Response> => {
    const key = c.req.param('key') ?? '';
    const found = DOMAIN_KEY.test(key) ? (await taxonomyOf(db, c.get('user').municipality_code)).find((d) => d.key === key) : undefined;
    return found ?? refuse(c, db, 404, { subjectType: 'domain', subjectId: key, reason: 'domain not in municipality' });
  };

  app.get('/', async (c) => c.html(await render(await viewContext(c, db))));

  app.post('/', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const m = taxonomyTexts(ctx.lang).errors;
    const body = await c.req.parseBody();
    const key = stringField(body, 'key').trim().slice(0, 100);
    const nl = stringField(body, 'nl').trim();
    const en = stringField(body, 'en').trim();
    const errors: FieldErrors = new Map();
    if (!DOMAIN_KEY.test(key)) errors.set('key', m.key);
    else if (isDefaultDomainKey(key)) errors.set('key', m.exists);
    if (nl === '' || nl.length > MAX_LABEL) errors.set('nl', m.labelRequired);
    if (en.length > MAX_LABEL) errors.set('en', m.label);
    const values = { key, nl, en };
    if (errors.size > 0) return c.html(await render(ctx, { errors, values }), 400);
    try {
      await db.transaction().execute(async (trx) => {
        await addDomain(trx, admin.municipality_code, key, { nl, en: en === '' ? null : en });
        await audit(trx, admin, 'taxonomy.add', key, { nl, en });
      });
    } catch (error) {
      if (!(error instanceof DomainExistsError)) throw error;
      return c.html(await render(ctx, { errors: new Map([['key', m.exists]]), values }), 400);
    }
    return changed(c, ctx, admin, 'add', key);
  });

  app.post('/:key/naam', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const found = await domain(c);
    if (found instanceof Response) return found;
    const m = taxonomyTexts(ctx.lang).errors;
    const body = await c.req.parseBody();
    const nl = stringField(body, 'nl').trim();
    const en = stringField(body, 'en').trim();
    const errors: FieldErrors = new Map();
    // A default key's Dutch label may be emptied (back to the default); an added domain needs one.
    if ((found.added && nl === '') || nl.length > MAX_LABEL) errors.set('nl', found.added ? m.labelRequired : m.label);
    if (en.length > MAX_LABEL) errors.set('en', m.label);
    if (errors.size > 0) return c.html(await render(ctx, { errors, rowKey: found.key }), 400);
    await db.transaction().execute(async (trx) => {
      await renameDomain(trx, admin.municipality_code, found.key, { nl: nl === '' ? null : nl, en: en === '' ? null : en });
      await audit(trx, admin, 'taxonomy.rename', found.key, { from: found.label, nl, en });
    });
    return changed(c, ctx, admin, 'rename', found.key);
  });

  for (const [path, retired] of [['uitfaseren', true], ['terugzetten', false]] as const) {
    app.post(`/:key/${path}`, async (c) => {
      const ctx = await viewContext(c, db);
      const admin = c.get('user');
      const found = await domain(c);
      if (found instanceof Response) return found;
      await db.transaction().execute(async (trx) => {
        await setDomainRetired(trx, admin.municipality_code, found.key, retired);
        await audit(trx, admin, retired ? 'taxonomy.retire' : 'taxonomy.restore', found.key);
      });
      return changed(c, ctx, admin, retired ? 'retire' : 'restore', found.key);
    });
  }

  /** After a change: this process' analysers forget the municipality; the page shows the new labels at once. */
  const changed = async (c: Context<DashboardEnv>, ctx: ViewContext, admin: User, change: TaxonomyChange, key: string) => {
    invalidateAnalyserCaches(admin.municipality_code);
    const domains = await taxonomyOf(db, admin.municipality_code);
    const fresh = { ...ctx, t: withDomainLabels(texts(ctx.lang), ctx.lang, domains) };
    return c.html(taxonomyPage(fresh, { domains, errors: new Map(), values: { key: '', nl: '', en: '' }, done: { change, key } }));
  };

  return app;
}

async function audit(db: Kysely<Database>, admin: User, action: string, key: string, details: Record<string, unknown> = {}): Promise<void> {
  await appendAudit(db, {
    actor_kind: 'user',
    actor_id: admin.id,
    action,
    municipality_code: admin.municipality_code,
    subject_type: 'domain',
    subject_id: key,
    details,
  });
}
