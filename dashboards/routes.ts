/**
 * The dashboard: login, logout, the overview with the signal list, who is heard, the review queue, street notes,
 * import and administration. Every page behind requireUser; roles and municipality are checked here on the server;
 * every view of signal text is audited.
 * Pages are never cached (they show resident text, and a new user's password once).
 */
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { appendAudit, auditSignalView } from '../db/repositories/audit.ts';
import { dashboardOverview, listFilteredSignals } from '../db/repositories/dashboard-stats.ts';
import { listClusterSummaries } from '../db/repositories/clusters.ts';
import { findUserByEmail, recordLogin } from '../db/repositories/users.ts';
import type { Logger } from '../app/logger.ts';
import type { RateLimiter } from '../app/http/rate-limit.ts';
import type { JobQueue } from '../pipeline/queue/queue.ts';
import { verifyPassword } from './auth/password.ts';
import { endSession, requireUser, startSession } from './auth/session.ts';
import { languageMiddleware, texts, type LangEnv } from './i18n.ts';
import { adminRoutes } from './pages/admin.ts';
import { botTextRoutes } from './pages/bot-texts.ts';
import { accessRoutes } from './pages/access.ts';
import type { RetentionPolicy } from '../pipeline/privacy/retention.ts';
import { agendaRoutes } from './pages/agenda.ts';
import { pollRoutes } from './pages/polls.ts';
import { clusterRoutes } from './pages/clusters.ts';
import { exportRoutes } from './pages/exports.ts';
import { mapRoutes } from './pages/map.ts';
import { userScope, viewContext, type DashboardEnv } from './pages/context.ts';
import { importRoutes } from './pages/import.ts';
import { notesRoutes } from './pages/notes.ts';
import { reviewRoutes } from './pages/review.ts';
import { whoRoutes } from './pages/who.ts';
import { readDashboardFilter } from './filters.ts';
import { isSuppressed } from './suppression.ts';
import { loginPage } from './views/login.ts';
import { overviewPage } from './views/overview.ts';

export interface DashboardDeps {
  db: Kysely<Database>;
  queue: JobQueue;
  logger: Logger;
  secureCookies: boolean;
  loginLimiter: RateLimiter;
  clientAddress: (c: Context) => string;
  /** The configured default retention periods (privacy page in the dashboard). */
  retention?: RetentionPolicy | undefined;
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
    const scope = await userScope(db, user);
    const { filter, error } = readDashboardFilter((name) => c.req.query(name), t, scope.wijken);
    const ctx = await viewContext(c, db);
    if (error) return c.html(overviewPage(ctx, { ...scope, filter, filterError: error, signals: [] }), 400);
    const overview = await dashboardOverview(db, scope.codes, filter);
    // Slice 1's list is unfiltered by who: only a filter that narrows by time, domain, place, language or who
    // can leave a small group, and then the list is withheld like any other figure.
    const narrowing = filter.from !== undefined || filter.to !== undefined || filter.domain !== undefined || filter.wijk !== undefined || filter.role !== undefined || filter.ageBand !== undefined || filter.language !== undefined;
    const listSuppressed = narrowing && isSuppressed(overview.total.residents);
    const signals = listSuppressed ? [] : await listFilteredSignals(db, scope.codes, filter, 100);
    await auditSignalView(db, user, signals.map((s) => s.id), { municipalities: scope.codes, filter });
    // New and growing clusters all had a signal in the last week: only those are counted here.
    const clusters = await listClusterSummaries(db, scope.codes, filter, { activeWithinDays: 7, detailed: (residents) => !isSuppressed(residents) });
    return c.html(overviewPage(ctx, { ...scope, filter, overview, signals, listSuppressed, clusters }));
  });

  const pageDeps = { db, queue: deps.queue, logger: deps.logger };
  secured.route('/clusters', clusterRoutes(pageDeps));
  secured.route('/kaart', mapRoutes(pageDeps));
  secured.route('/export', exportRoutes(pageDeps));
  secured.route('/wie', whoRoutes(pageDeps));
  secured.route('/agenda', agendaRoutes(pageDeps));
  secured.route('/peilingen', pollRoutes(pageDeps));
  secured.route('/beoordelen', reviewRoutes(pageDeps));
  secured.route('/notities', notesRoutes(pageDeps));
  secured.route('/importeren', importRoutes(pageDeps));
  // Privacy (issue 7): access, erasure at a request made elsewhere, retention periods. Administrators only.
  secured.route('/beheer/inzage', accessRoutes({ ...pageDeps, retention: deps.retention }));
  secured.route('/beheer/bot', botTextRoutes(pageDeps));
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
