/**
 * The dashboard: login, logout and the signal list. Every page behind requireUser; what a user sees is limited to
 * their municipality (or their region's), decided here on the server; every view of signal text is audited.
 */
import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { appendAudit } from '../db/repositories/audit.ts';
import { listMunicipalities, municipalitiesInRegionOf } from '../db/repositories/municipalities.ts';
import { listSignals } from '../db/repositories/signals.ts';
import { findUserByEmail, recordLogin } from '../db/repositories/users.ts';
import type { Logger } from '../app/logger.ts';
import type { RateLimiter } from '../app/http/rate-limit.ts';
import { verifyPassword } from './auth/password.ts';
import { endSession, requireUser, startSession, type SessionEnv } from './auth/session.ts';
import { loginPage } from './views/login.ts';
import { signalsPage } from './views/signals.ts';

export interface DashboardDeps {
  db: Kysely<Database>;
  logger: Logger;
  secureCookies: boolean;
  loginLimiter: RateLimiter;
  clientAddress: (c: Context) => string;
}

// Verifying against a real hash when the e-mail is unknown keeps the response time the same either way.
const unknownUserHash = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(86);

export function dashboardRoutes(deps: DashboardDeps): Hono {
  const app = new Hono();
  const { db } = deps;

  app.get('/dashboard/login', (c) => c.html(loginPage({})));

  app.post('/dashboard/login', async (c) => {
    const form = await c.req.parseBody();
    const email = typeof form.email === 'string' ? form.email.trim().toLowerCase().slice(0, 320) : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const limitKey = `${deps.clientAddress(c)}|${email}`;
    if (!deps.loginLimiter.take(limitKey)) {
      deps.logger.warn({ event: 'login.rate_limited' }, 'too many login attempts');
      return c.html(loginPage({ error: 'Te veel pogingen. Wacht een paar minuten en probeer het opnieuw.', email }), 429);
    }
    const user = email ? await findUserByEmail(db, email) : undefined;
    const valid = await verifyPassword(password, user?.password_hash ?? unknownUserHash);
    if (!user || !valid || user.disabled_at !== null) {
      await appendAudit(db, { actor_kind: 'system', actor_id: null, action: 'login.failed', municipality_code: user?.municipality_code ?? null, subject_type: 'user', subject_id: user?.id ?? null });
      return c.html(loginPage({ error: 'Het e-mailadres of wachtwoord klopt niet.', email }), 401);
    }
    await startSession(c, db, user, deps.secureCookies);
    await recordLogin(db, user.id);
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'login', municipality_code: user.municipality_code, subject_type: 'user', subject_id: user.id });
    return c.redirect('/dashboard', 303);
  });

  // Registered after the login routes, which therefore answer before this guard would run for them.
  const secured = new Hono<SessionEnv>();
  secured.use('*', requireUser(db, { loginPath: '/dashboard/login' }));

  secured.get('/', async (c) => {
    const user = c.get('user');
    const codes = user.role === 'region' ? await municipalitiesInRegionOf(db, user.municipality_code) : [user.municipality_code];
    const municipalities = (await listMunicipalities(db)).filter((m) => codes.includes(m.code));
    const signals = await listSignals(db, { municipalityCodes: codes, limit: 100 });
    await appendAudit(db, {
      actor_kind: 'user',
      actor_id: user.id,
      action: 'signals.view',
      municipality_code: user.municipality_code,
      subject_type: 'signal',
      subject_id: null,
      details: { municipalities: codes, count: signals.length, signal_ids: signals.map((s) => s.id) },
    });
    return c.html(signalsPage({ user, csrfToken: c.get('csrfToken'), municipalities, signals }));
  });

  secured.post('/logout', async (c) => {
    const user = c.get('user');
    await endSession(c, db);
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'logout', municipality_code: user.municipality_code, subject_type: 'user', subject_id: user.id });
    return c.redirect('/dashboard/login', 303);
  });

  app.route('/dashboard', secured);
  return app;
}
