/**
 * Administration (/dashboard/beheer), administrators only: the users of their own municipality. Every lookup is by
 * id *and* municipality, so another municipality's user id in a URL finds nothing: refused, logged, unchanged.
 */
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database, Municipality } from '../../db/database.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import { createUser, disableUser, DuplicateUserError, findUserInMunicipality, listUsersOfMunicipality } from '../../db/repositories/users.ts';
import { generatePassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, validateNewPassword } from '../auth/password.ts';
import type { FieldErrors } from '../views/form.ts';
import { adminPage, assignableRoles } from '../views/admin.ts';
import type { ViewContext } from '../views/shell.ts';
import { refuse, requireRole, stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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

  app.get('/', async (c) => c.html(await render(await viewContext(c, db))));

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
    const validRole = assignableRoles.find((r) => r === role);
    if (!validRole) errors.set('role', a.role);
    if (password !== '' && validateNewPassword(password) !== undefined) errors.set('password', a.password(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH));
    if (errors.size > 0 || !validRole) return c.html(await render(ctx, { errors, values: { email, role } }), 400);

    const temporaryPassword = password === '' ? generatePassword() : undefined;
    const passwordHash = await hashPassword(temporaryPassword ?? password);
    try {
      await db.transaction().execute(async (trx) => {
        const created = await createUser(trx, { email, passwordHash, role: validRole, municipalityCode: admin.municipality_code });
        await appendAudit(trx, {
          actor_kind: 'user',
          actor_id: admin.id,
          action: 'user.create',
          municipality_code: admin.municipality_code,
          subject_type: 'user',
          subject_id: created.id,
          details: { role: validRole, temporary_password: temporaryPassword !== undefined },
        });
      });
    } catch (error) {
      if (!(error instanceof DuplicateUserError)) throw error;
      return c.html(await render(ctx, { errors: new Map([['email', a.duplicate]]), values: { email, role } }), 400);
    }
    // Shown once, in this response only, which no cache keeps.
    return c.html(await render(ctx, { added: { email, temporaryPassword } }));
  });

  app.post('/gebruikers/:id/uitschakelen', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const id = c.req.param('id');
    const target = UUID.test(id) ? await findUserInMunicipality(db, id, admin.municipality_code) : undefined;
    if (!target) return refuse(c, db, 404, { subjectType: 'user', subjectId: id, reason: 'user not in municipality' });
    if (target.id === admin.id) return c.html(await render(ctx, { notice: ctx.t.admin.errors.self }), 400);
    await disableWithAudit(db, target.id, admin);
    return c.html(await render(ctx, { disabled: target.email }));
  });

  return app;
}

async function disableWithAudit(db: Kysely<Database>, id: string, admin: { id: string; municipality_code: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const changed = await disableUser(trx, id, admin.municipality_code);
    if (changed) {
      await appendAudit(trx, {
        actor_kind: 'user',
        actor_id: admin.id,
        action: 'user.disable',
        municipality_code: admin.municipality_code,
        subject_type: 'user',
        subject_id: id,
      });
    }
  });
}
