/**
 * Administration (/dashboard/beheer), administrators only: the users of their own municipality. Every lookup is by
 * id *and* municipality, so another municipality's user id in a URL finds nothing: refused, logged, unchanged.
 * A change that would leave the municipality without an active administrator is refused, checked inside the same
 * transaction that makes it, with the administrators' rows locked.
 */
import { Hono, type Context } from 'hono';
import type { Kysely, Transaction } from 'kysely';
import type { Database, Municipality, User } from '../../db/database.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import {
  changeUserRole,
  createUser,
  disableUser,
  DuplicateUserError,
  enableUser,
  findUserInMunicipality,
  listUsersOfMunicipality,
  lockActiveAdmins,
  setUserPassword,
} from '../../db/repositories/users.ts';
import { generatePassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, validateNewPassword } from '../auth/password.ts';
import type { FieldErrors } from '../views/form.ts';
import { adminPage, assignableRoles } from '../views/admin.ts';
import { areaImportRoutes } from './admin-areas.ts';
import { taxonomyRoutes } from './taxonomy.ts';
import type { ViewContext } from '../views/shell.ts';
import { refuse, requireRole, stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Thrown inside a transaction to roll it back when the change would leave no active administrator. */
class LastAdminError extends Error {
  override readonly name = 'LastAdminError';
}

type Admin = Pick<User, 'id' | 'municipality_code'>;

export function adminRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();
  app.use('*', requireRole(db, ['admin']));

  const render = async (
    ctx: ViewContext,
    extra: Partial<Omit<Parameters<typeof adminPage>[1], 'municipality' | 'users'>> = {},
  ) => {
    const municipality = (await getMunicipality(db, ctx.user.municipality_code)) as Municipality;
    const users = await listUsersOfMunicipality(db, ctx.user.municipality_code);
    return adminPage(ctx, { municipality, users, errors: new Map(), values: { email: '', role: 'team' }, ...extra });
  };

  /** The user named in the URL, within the administrator's municipality; a refusal (logged) otherwise. */
  const target = async (c: Context<DashboardEnv>): Promise<User | Response> => {
    const admin = c.get('user');
    const id = c.req.param('id') ?? '';
    const found = UUID.test(id) ? await findUserInMunicipality(db, id, admin.municipality_code) : undefined;
    return found ?? refuse(c, db, 404, { subjectType: 'user', subjectId: id, reason: 'user not in municipality' });
  };

  app.get('/', async (c) => c.html(await render(await viewContext(c, db))));
  // Gazetteer and boundary import, behind the same administrator check.
  app.route('/gebieden', areaImportRoutes(deps));
  // Life domains: rename, add, retire (CONTRACTS.md section 6).
  app.route('/taxonomie', taxonomyRoutes(deps));

  app.post('/gebruikers', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const body = await c.req.parseBody();
    const email = stringField(body, 'email').trim().toLowerCase().slice(0, 320);
    const role = stringField(body, 'role');
    const password = stringField(body, 'password');
    const a = ctx.t.admin.errors;
    const errors: FieldErrors = new Map();
    if (!EMAIL.test(email)) errors.set('email', a.email);
    const municipality = (await getMunicipality(db, admin.municipality_code)) as Municipality;
    const validRole = assignableRoles(municipality).find((r) => r === role);
    if (!validRole) errors.set('role', a.role);
    if (password !== '' && validateNewPassword(password) !== undefined) errors.set('password', a.password(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH));
    if (errors.size > 0 || !validRole) return c.html(await render(ctx, { errors, values: { email, role } }), 400);

    const temporaryPassword = password === '' ? generatePassword() : undefined;
    const passwordHash = await hashPassword(temporaryPassword ?? password);
    try {
      await db.transaction().execute(async (trx) => {
        // Always the administrator's own municipality: a region user made here sees that municipality's region.
        const created = await createUser(trx, { email, passwordHash, role: validRole, municipalityCode: admin.municipality_code });
        await audit(trx, admin, 'user.create', created.id, { role: validRole, temporary_password: temporaryPassword !== undefined });
      });
    } catch (error) {
      if (!(error instanceof DuplicateUserError)) throw error;
      return c.html(await render(ctx, { errors: new Map([['email', a.duplicate]]), values: { email, role } }), 400);
    }
    // Shown once, in this response only, which no cache keeps.
    return c.html(await render(ctx, { outcome: { kind: 'added', email, password: temporaryPassword } }));
  });

  app.post('/gebruikers/:id/uitschakelen', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const user = await target(c);
    if (user instanceof Response) return user;
    // Yourself: you would be locked out at once; another administrator can do it.
    if (user.id === admin.id) return c.html(await render(ctx, { notice: ctx.t.admin.errors.self }), 400);
    const done = await guardLastAdmin(db, admin.municipality_code, async (trx, admins) => {
      if (admins.length === 1 && admins[0] === user.id) return false;
      // disableUser also deletes the user's sessions, and findSession refuses a disabled user's session anyway.
      const changed = await disableUser(trx, user.id, admin.municipality_code);
      if (changed) await audit(trx, admin, 'user.disable', user.id);
      return true;
    });
    if (!done) return c.html(await render(ctx, { notice: ctx.t.admin.errors.lastAdmin }), 409);
    return c.html(await render(ctx, { outcome: { kind: 'disabled', email: user.email } }));
  });

  app.post('/gebruikers/:id/inschakelen', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const user = await target(c);
    if (user instanceof Response) return user;
    await db.transaction().execute(async (trx) => {
      if (await enableUser(trx, user.id, admin.municipality_code)) await audit(trx, admin, 'user.enable', user.id);
    });
    return c.html(await render(ctx, { outcome: { kind: 'enabled', email: user.email } }));
  });

  app.post('/gebruikers/:id/rol', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const user = await target(c);
    if (user instanceof Response) return user;
    const body = await c.req.parseBody();
    const municipality = (await getMunicipality(db, admin.municipality_code)) as Municipality;
    const role = assignableRoles(municipality).find((r) => r === stringField(body, 'role'));
    if (!role) return c.html(await render(ctx, { notice: ctx.t.admin.errors.role }), 400);
    const done = await guardLastAdmin(db, admin.municipality_code, async (trx, admins) => {
      if (role !== 'admin' && admins.length === 1 && admins[0] === user.id) return false;
      const changed = await changeUserRole(trx, user.id, admin.municipality_code, role);
      if (changed) await audit(trx, admin, 'user.role', user.id, { from: user.role, to: role });
      return true;
    });
    if (!done) return c.html(await render(ctx, { notice: ctx.t.admin.errors.lastAdmin }), 409);
    // Demoted yourself: this page is no longer yours.
    if (user.id === admin.id && role !== 'admin') return c.redirect('/dashboard', 303);
    return c.html(await render(ctx, { outcome: { kind: 'role', email: user.email, role } }));
  });

  app.post('/gebruikers/:id/wachtwoord', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const user = await target(c);
    if (user instanceof Response) return user;
    // Your own: it would end this session; ask another administrator, or use the CLI.
    if (user.id === admin.id) return c.html(await render(ctx, { notice: ctx.t.admin.errors.selfReset }), 400);
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    await db.transaction().execute(async (trx) => {
      if (await setUserPassword(trx, user.id, admin.municipality_code, passwordHash)) await audit(trx, admin, 'user.password_reset', user.id);
    });
    return c.html(await render(ctx, { outcome: { kind: 'password', email: user.email, password } }));
  });

  return app;
}

/** Runs a change with the active administrators locked; the change answers false to refuse (nothing changed). */
async function guardLastAdmin(
  db: Kysely<Database>,
  municipalityCode: string,
  change: (trx: Transaction<Database>, activeAdmins: string[]) => Promise<boolean>,
): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      if (!(await change(trx, await lockActiveAdmins(trx, municipalityCode)))) throw new LastAdminError();
    });
    return true;
  } catch (error) {
    if (error instanceof LastAdminError) return false;
    throw error;
  }
}

async function audit(trx: Transaction<Database>, admin: Admin, action: string, userId: string, details?: Record<string, unknown>): Promise<void> {
  await appendAudit(trx, {
    actor_kind: 'user',
    actor_id: admin.id,
    action,
    municipality_code: admin.municipality_code,
    subject_type: 'user',
    subject_id: userId,
    ...(details ? { details } : {}),
  });
}
