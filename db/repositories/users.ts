import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, User, UserRole } from '../database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class DuplicateUserError extends Error {
  override readonly name = 'DuplicateUserError';
  constructor(readonly email: string) {
    super(`a user with e-mail ${email} already exists`);
  }
}

export async function createUser(
  db: Db,
  u: { email: string; passwordHash: string; role: UserRole; municipalityCode: string },
): Promise<User> {
  const row = await db
    .insertInto('users')
    .values({ id: randomUUID(), email: u.email.toLowerCase(), password_hash: u.passwordHash, role: u.role, municipality_code: u.municipalityCode })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new DuplicateUserError(u.email.toLowerCase());
  return row;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function countUsers(db: Db, municipalityCode: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function recordLogin(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', userId).execute();
}

export interface SessionWithUser {
  user: User;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(db: Db, s: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date }): Promise<void> {
  await db.insertInto('sessions').values({ token_hash: s.tokenHash, user_id: s.userId, csrf_token: s.csrfToken, expires_at: s.expiresAt }).execute();
}

/** The live session for a token hash; expired sessions and disabled users give nothing. */
export async function findSession(db: Db, tokenHash: string, now = new Date()): Promise<SessionWithUser | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select(['s.csrf_token', 's.expires_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { csrf_token, expires_at, ...user } = row;
  return { user, csrfToken: csrf_token, expiresAt: expires_at };
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** The users of one municipality, for its administrators: e-mail order, without password hashes. */
export async function listUsersOfMunicipality(db: Db, municipalityCode: string): Promise<Omit<User, 'password_hash'>[]> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'municipality_code', 'created_at', 'disabled_at', 'last_login_at'])
    .where('municipality_code', '=', municipalityCode)
    .orderBy('email')
    .execute();
}

/** A user by id, only within the given municipality: another municipality's user is simply not found. */
export async function findUserInMunicipality(db: Db, id: string, municipalityCode: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).where('municipality_code', '=', municipalityCode).executeTakeFirst();
}

/** Disables a user of the municipality and ends their sessions. False when no such active user exists there. */
export async function disableUser(db: Db, id: string, municipalityCode: string, at = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ disabled_at: at })
    .where('id', '=', id)
    .where('municipality_code', '=', municipalityCode)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await db.deleteFrom('sessions').where('user_id', '=', id).execute();
  return true;
}

/** Enables a disabled user of the municipality. False when no such disabled user exists there. */
export async function enableUser(db: Db, id: string, municipalityCode: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ disabled_at: null })
    .where('id', '=', id)
    .where('municipality_code', '=', municipalityCode)
    .where('disabled_at', 'is not', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives a user of the municipality another role. False when no such user exists there or the role is the same. */
export async function changeUserRole(db: Db, id: string, municipalityCode: string, role: UserRole): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ role })
    .where('id', '=', id)
    .where('municipality_code', '=', municipalityCode)
    .where('role', '!=', role)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Sets a new password hash for a user of the municipality and ends their sessions (the old password may be known). */
export async function setUserPassword(db: Db, id: string, municipalityCode: string, passwordHash: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ password_hash: passwordHash })
    .where('id', '=', id)
    .where('municipality_code', '=', municipalityCode)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await db.deleteFrom('sessions').where('user_id', '=', id).execute();
  return true;
}

/**
 * The ids of the municipality's active administrators, locked until the transaction ends: two administrators who
 * demote each other at the same moment cannot leave the municipality without one.
 */
export async function lockActiveAdmins(trx: Transaction<Database>, municipalityCode: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('users')
    .select('id')
    .where('municipality_code', '=', municipalityCode)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}
