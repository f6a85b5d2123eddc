/**
 * The in-process app the HTTP, dashboard and security suites share: a fresh database with the demo gazetteer, the
 * Zaanstreek region (Zaanstad GM0479 and Wormerland GM0880), users of the roles a suite asks for, the real
 * in-process queue, and the Hono app driven through app.request() (no socket). Helpers log in and post forms the
 * way a browser does (same origin, the session's CSRF token).
 */
import type { Hono } from 'hono';
import { createHttpApp, type HttpDeps } from '../../app/http/app.ts';
import { createLogger } from '../../app/logger.ts';
import { hashPassword } from '../../dashboards/auth/password.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { upsertMunicipality, upsertWijk } from '../../db/repositories/municipalities.ts';
import { createUser } from '../../db/repositories/users.ts';
import type { User, UserRole } from '../../db/database.ts';
import { createInProcessQueue, type JobQueue } from '../../pipeline/queue/index.ts';
import { createJobHandlers, createOnFailed } from '../../pipeline/workers/handlers.ts';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from './databases.ts';

export const logger = createLogger('silent');
export const password = 'correct horse battery staple';
export const base = 'http://wijkstem.test';

/** The cookies a response sets, as a Cookie header. */
export function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

export function csrfOf(page: string): string {
  const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error('no csrf token on the page');
  return token;
}

export type TestUser = readonly [email: string, role: UserRole, municipalityCode: string];

export interface DashboardAppOptions {
  users?: readonly TestUser[];
  /** More municipalities, made before the users (a user belongs to one). */
  municipalities?: readonly { code: string; name: string; region: string | null }[];
  /** Put Zaanstad in Wormerland's region from the start; default true. */
  zaanstadInRegion?: boolean;
  /** Run the real job handlers on the queue (the pipeline analyses what is stored); default true. */
  workers?: boolean;
  /** Overrides of the app's dependencies (secure, whatsapp, ...). */
  http?: Partial<HttpDeps>;
}

export interface DashboardApp {
  database: TestDatabase;
  queue: JobQueue;
  app: Hono;
  users: Record<string, User>;
  request(path: string, init?: RequestInit): Promise<Response>;
  get(path: string, cookie: string): Promise<Response>;
  /** A same-origin form post, as the browser sends it. */
  post(path: string, body: URLSearchParams | FormData, cookie?: string, headers?: Record<string, string>): Promise<Response>;
  /** A new session at every call. */
  login(email: string, pass?: string): Promise<string>;
  /** One session per user for the whole suite: logins are rate-limited (10 in 15 minutes per address and e-mail). */
  loggedIn(email: string, pass?: string): Promise<string>;
  /** A logged-in user's cookie and the CSRF token from a page they may open. */
  session(email: string, path?: string): Promise<{ cookie: string; csrf: string }>;
  close(): Promise<void>;
}

/** Zaanstad and Wormerland in one region, with a wijk in Wormerland; the demo gazetteer gives Zaanstad's. */
async function seedRegion(database: TestDatabase, zaanstadInRegion: boolean): Promise<void> {
  await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
  if (zaanstadInRegion) await database.db.updateTable('municipalities').set({ region: 'Zaanstreek' }).where('code', '=', 'GM0479').execute();
  await upsertMunicipality(database.db, { code: 'GM0880', name: 'Wormerland', region: 'Zaanstreek' });
  await upsertWijk(database.db, { code: 'WK088001', municipality_code: 'GM0880', name: 'Wormer' });
}

export async function startDashboardApp(kind: TestDatabaseKind, options: DashboardAppOptions = {}): Promise<DashboardApp> {
  const database = await openTestDatabase(kind);
  await seedRegion(database, options.zaanstadInRegion ?? true);
  for (const m of options.municipalities ?? []) await upsertMunicipality(database.db, m);
  const users: Record<string, User> = {};
  const passwordHash = await hashPassword(password);
  for (const [email, role, municipalityCode] of options.users ?? []) {
    users[email] = await createUser(database.db, { email, passwordHash, role, municipalityCode });
  }
  const workers = options.workers ?? true;
  const queue = createInProcessQueue({ retry: { attempts: workers ? 3 : 1, backoffMs: 10 } });
  if (workers) {
    await queue.startWorkers(createJobHandlers({ db: database.db, logger }), { onFailed: createOnFailed({ db: database.db, logger }) });
  }
  const app = createHttpApp({
    db: database.db,
    queue,
    logger,
    pseudonymKey: 'k'.repeat(32),
    defaultMunicipality: 'GM0479',
    secure: false,
    serveApp: true,
    health: () => queue.health(),
    ...options.http,
  });

  const request = async (path: string, init: RequestInit = {}) => app.request(`${base}${path}`, init);
  const post = (path: string, body: URLSearchParams | FormData, cookie = '', headers: Record<string, string> = {}) =>
    request(path, {
      method: 'POST',
      body,
      headers: { origin: base, ...(cookie ? { cookie } : {}), ...(body instanceof URLSearchParams ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
    });
  const login = async (email: string, pass = password) => {
    const response = await post('/dashboard/login', new URLSearchParams({ email, password: pass }));
    if (response.status !== 303) throw new Error(`login ${email}: ${response.status}`);
    return cookiesFrom(response);
  };
  const sessions = new Map<string, string>();
  const loggedIn = async (email: string, pass = password) => {
    const known = sessions.get(email) ?? (await login(email, pass));
    sessions.set(email, known);
    return known;
  };
  const get = (path: string, cookie: string) => request(path, { headers: { cookie } });
  return {
    database,
    queue,
    app,
    users,
    request,
    get,
    post,
    login,
    loggedIn,
    session: async (email, path = '/dashboard') => {
      const cookie = await loggedIn(email);
      return { cookie, csrf: csrfOf(await (await get(path, cookie)).text()) };
    },
    close: async () => {
      await queue.close();
      await database.drop();
    },
  };
}
