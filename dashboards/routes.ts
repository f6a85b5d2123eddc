/**
 * The dashboard: login, logout, the signal list, street notes, import and administration. Every page behind
 * requireUser; roles and municipality are checked here on the server; every view of signal text is audited.
 * Pages are never cached (they show resident text, and a new user's password once).
 */
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database, SignalSource, SignalStatus } from '../db/database.ts';
import { signalSources } from '../db/tables/common.ts';
import { signalStatuses } from '../db/tables/signal.table.ts';
import { appendAudit } from '../db/repositories/audit.ts';
import { listMunicipalities, municipalitiesInRegionOf } from '../db/repositories/municipalities.ts';
import { listSignalsWhere } from '../db/repositories/signals.ts';
import { findUserByEmail, recordLogin } from '../db/repositories/users.ts';
import type { Logger } from '../app/logger.ts';
import type { RateLimiter } from '../app/http/rate-limit.ts';
import type { JobQueue } from '../pipeline/queue/queue.ts';
import { verifyPassword } from './auth/password.ts';
import { endSession, requireUser, startSession } from './auth/session.ts';
import { languageMiddleware, texts, type LangEnv } from './i18n.ts';
import { adminRoutes } from './pages/admin.ts';
import { viewContext, type DashboardEnv } from './pages/context.ts';
import { importRoutes } from './pages/import.ts';
import { notesRoutes } from './pages/notes.ts';
import { loginPage } from './views/login.ts';
import { signalsPage, type SignalFilter } from './views/signals.ts';

export interface DashboardDeps {
  db: Kysely<Database>;
  queue: JobQueue;
  logger: Logger;
  secureCookies: boolean;
  loginLimiter: RateLimiter;
  clientAddress: (c: Context) => string;
}

// Verifying against a real hash when the e-mail is unknown keeps the response time the same either way.
const unknownUserHash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(86);

export function dashboardRoutes(deps: DashboardDeps): Hono {
  const app = new Hono<LangEnv>();
  const { db } = deps;
  // '/dashboard/*' matches /dashboard itself too.
  app.use('/dashboard/*', languageMiddleware({ secureCookies: deps.secureCookies }));

  app.get('/dashboard/login', (c) => c.html(loginPage({ lang: c.get('lang') })));

  app.post('/dashboard/login', async (c) => {
    const lang = c.get('lang');
    const t = texts(lang).login;
    const form = await c.req.parseBody();
    const email = typeof form.email === 'string' ? form.email.trim().toLowerCase().slice(0, 320) : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const limitKey = `${deps.clientAddress(c)}|${email}`;
    if (!deps.loginLimiter.take(limitKey)) {
      deps.logger.warn({ event: 'login.rate_limited' }, 'too many login attempts');
      return c.html(loginPage({ error: t.tooMany, email, lang }), 429);
    }
    const user = email ? await findUserByEmail(db, email) : undefined;
    const valid = await verifyPassword(password, user?.password_hash ?? unknownUserHash);
    if (!user || !valid || user.disabled_at !== null) {
      await appendAudit(db, { actor_kind: 'system', actor_id: null, action: 'login.failed', municipality_code: user?.municipality_code ?? null, subject_type: 'user', subject_id: user?.id ?? null });
      return c.html(loginPage({ error: t.wrong, email, lang }), 401);
    }
    await startSession(c, db, user, deps.secureCookies);
    await recordLogin(db, user.id);
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'login', municipality_code: user.municipality_code, subject_type: 'user', subject_id: user.id });
    return c.redirect('/dashboard', 303);
  });

  // Registered after the login routes, which therefore answer before this guard would run for them.
  const secured = new Hono<DashboardEnv>();
  secured.use('*', requireUser(db, { loginPath: '/dashboard/login' }));
  secured.use('*', async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
  });

  secured.get('/', async (c) => {
    const user = c.get('user');
    const t = texts(c.get('lang'));
    const codes = user.role === 'region' ? await municipalitiesInRegionOf(db, user.municipality_code) : [user.municipality_code];
    const municipalities = (await listMunicipalities(db)).filter((m) => codes.includes(m.code));
    const { filter, error } = readFilter(c.req.query('bron'), c.req.query('status'), t);
    const signals = error ? [] : await listSignalsWhere(db, { municipalityCodes: codes, source: filter.source, status: filter.status, limit: 100 });
    if (!error) {
      await appendAudit(db, {
        actor_kind: 'user',
        actor_id: user.id,
        action: 'signals.view',
        municipality_code: user.municipality_code,
        subject_type: 'signal',
        subject_id: null,
        details: { municipalities: codes, count: signals.length, signal_ids: signals.map((s) => s.id), filter },
      });
    }
    return c.html(signalsPage(await viewContext(c, db), { municipalities, signals, filter, filterError: error }), error ? 400 : 200);
  });

  const pageDeps = { db, queue: deps.queue, logger: deps.logger };
  secured.route('/notities', notesRoutes(pageDeps));
  secured.route('/importeren', importRoutes(pageDeps));
  secured.route('/beheer', adminRoutes(pageDeps));

  secured.post('/logout', async (c) => {
    const user = c.get('user');
    await endSession(c, db);
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'logout', municipality_code: user.municipality_code, subject_type: 'user', subject_id: user.id });
    return c.redirect('/dashboard/login', 303);
  });

  app.route('/dashboard', secured);
  return app as unknown as Hono;
}

/** The list's filters from the query; a value that is not in the list is a clear error, not an empty page. */
function readFilter(source: string | undefined, status: string | undefined, t: ReturnType<typeof texts>): { filter: SignalFilter; error?: string } {
  const filter: SignalFilter = {};
  if (source !== undefined && source !== '') {
    if (!(signalSources as readonly string[]).includes(source)) return { filter, error: t.signals.badFilter(t.signals.columns.source, source.slice(0, 40)) };
    filter.source = source as SignalSource;
  }
  if (status !== undefined && status !== '') {
    if (!(signalStatuses as readonly string[]).includes(status)) return { filter, error: t.signals.badFilter(t.signals.columns.status, status.slice(0, 40)) };
    filter.status = status as SignalStatus;
  }
  return { filter };
}
