/** What every dashboard page handler shares: the request's variables, the view context, role checks. */
import type { Context, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database, Municipality, User, Wijk } from '../../db/database.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { getMunicipality, listMunicipalities, listWijken, municipalitiesInRegionOf } from '../../db/repositories/municipalities.ts';
import { taxonomyOf } from '../../db/repositories/taxonomy.ts';
import type { Logger } from '../../app/logger.ts';
import type { JobQueue } from '../../pipeline/queue/queue.ts';
import { readDashboardFilter, type FilterResult } from '../filters.ts';
import { texts, type Lang, type Texts } from '../i18n.ts';
import { themeHref } from '../theme.ts';
import { withDomainLabels } from '../views/taxonomy.ts';
import type { ViewContext } from '../views/shell.ts';

export interface DashboardEnv {
  Variables: { user: User; csrfToken: string; lang: Lang };
}

export interface PageDeps {
  db: Kysely<Database>;
  queue: JobQueue;
  logger: Logger;
}

export async function viewContext(c: Context<DashboardEnv>, db: Kysely<Database>): Promise<ViewContext> {
  const user = c.get('user');
  const lang = c.get('lang');
  const municipality = await getMunicipality(db, user.municipality_code);
  return {
    user,
    csrfToken: c.get('csrfToken'),
    lang,
    // The municipality's own names of the life domains (issue 5, /dashboard/beheer/taxonomie) on every page.
    t: withDomainLabels(texts(lang), lang, await taxonomyOf(db, user.municipality_code)),
    path: c.req.path,
    themeHref: municipality ? themeHref(municipality.code, municipality.settings) : undefined,
  };
}

/** A refusal: logged in the audit log (who tried what), and a plain page that says so. */
export async function refuse(c: Context<DashboardEnv>, db: Kysely<Database>, status: 403 | 404, details: Record<string, unknown>): Promise<Response> {
  const user = c.get('user');
  await appendAudit(db, {
    actor_kind: 'user',
    actor_id: user.id,
    action: 'access.refused',
    municipality_code: user.municipality_code,
    subject_type: typeof details.subjectType === 'string' ? details.subjectType : null,
    subject_id: typeof details.subjectId === 'string' ? details.subjectId.slice(0, 100) : null,
    details: { method: c.req.method, path: c.req.path, status, ...details },
  });
  const t = texts(c.get('lang'));
  return c.text(status === 403 ? t.forbidden : t.admin.notFound, status);
}

export function requireRole(db: Kysely<Database>, roles: readonly User['role'][]): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (!roles.includes(c.get('user').role)) return refuse(c, db, 403, { reason: 'role', role: c.get('user').role });
    await next();
  };
}

/** Form fields as strings; a repeated field keeps its last value, file fields are ignored. */
export function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const last: unknown = value.at(-1);
    return typeof last === 'string' ? last : '';
  }
  return '';
}

/** Today in the Netherlands, as YYYY-MM-DD. */
export function todayInAmsterdam(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The municipalities a user reads (a region user: the region's), with their wijken. */
export async function userScope(db: Kysely<Database>, user: User): Promise<{ codes: string[]; municipalities: Municipality[]; wijken: Wijk[] }> {
  const codes = user.role === 'region' ? await municipalitiesInRegionOf(db, user.municipality_code) : [user.municipality_code];
  const municipalities = (await listMunicipalities(db)).filter((m) => codes.includes(m.code));
  const wijken = (await Promise.all(codes.map((code) => listWijken(db, code)))).flat();
  return { codes, municipalities, wijken };
}

/**
 * The filters every view keeps, read from the query string. `status` belongs to the review queue alone, so the
 * other views ignore it instead of refusing a link that carries it over.
 */
export function viewFilter(c: Context<DashboardEnv>, t: Texts, wijken: readonly Pick<Wijk, 'code'>[]): FilterResult {
  return readDashboardFilter((name) => (name === 'status' ? undefined : c.req.query(name)), t, wijken);
}
