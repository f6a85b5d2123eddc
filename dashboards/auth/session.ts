/**
 * Dashboard sessions: a random token in an http-only, same-site=strict cookie; the database keeps only its SHA-256,
 * so a leaked table cannot be replayed. A new token at every login (no session fixation). Every POST carries the
 * session's CSRF token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import type { Database, User } from '../../db/database.ts';
import { createSession, deleteSession, findSession } from '../../db/repositories/users.ts';

export const sessionCookie = 'wijkstem_session';
const sessionHours = 12;

export interface SessionEnv {
  Variables: { user: User; csrfToken: string };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export async function startSession(c: Context, db: Kysely<Database>, user: User, secure: boolean): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await createSession(db, {
    tokenHash: hashToken(token),
    userId: user.id,
    csrfToken: randomBytes(24).toString('base64url'),
    expiresAt: new Date(Date.now() + sessionHours * 3600_000),
  });
  setCookie(c, sessionCookie, token, { httpOnly: true, secure, sameSite: 'Strict', path: '/', maxAge: sessionHours * 3600 });
}

export async function endSession(c: Context, db: Kysely<Database>): Promise<void> {
  const token = getCookie(c, sessionCookie);
  if (token) await deleteSession(db, hashToken(token));
  deleteCookie(c, sessionCookie, { path: '/' });
}

/**
 * Lets a request through only with a live session; pages redirect to the login, API calls get 401. On unsafe
 * methods the form's `csrf` field (or X-CSRF-Token header) must match the session's token.
 */
export function requireUser(db: Kysely<Database>, options: { loginPath: string }): MiddlewareHandler<SessionEnv> {
  return async (c, next) => {
    const token = getCookie(c, sessionCookie);
    const session = token ? await findSession(db, hashToken(token)) : undefined;
    if (!session) {
      if (c.req.method === 'GET') return c.redirect(options.loginPath, 303);
      return c.json({ error: { code: 'unauthenticated', message: 'Log in first.' } }, 401);
    }
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? (await formField(c, 'csrf'));
      if (!sent || !sameToken(sent, session.csrfToken)) {
        return c.json({ error: { code: 'csrf', message: 'The form has expired. Reload the page and try again.' } }, 403);
      }
    }
    c.set('user', session.user);
    c.set('csrfToken', session.csrfToken);
    await next();
  };
}

async function formField(c: Context, name: string): Promise<string | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) return undefined;
  const body = await c.req.parseBody();
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
