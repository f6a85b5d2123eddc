import type { Insertable, Selectable, Updateable } from 'kysely';
import type { CreatedAt, NullableTimestamp, Timestamp } from './common.ts';

/** Dashboard roles (CONTRACTS.md `users add`). A region user sees every municipality of their region. */
export type UserRole = 'admin' | 'council' | 'team' | 'region';
export const userRoles = ['admin', 'council', 'team', 'region'] as const satisfies readonly UserRole[];

export interface UserTable {
  id: string;
  /** Lower-cased. */
  email: string;
  /** scrypt$N$r$p$salt$hash, see dashboards/auth/password.ts. */
  password_hash: string;
  role: UserRole;
  municipality_code: string;
  created_at: CreatedAt;
  disabled_at: NullableTimestamp;
  last_login_at: NullableTimestamp;
}
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;

/** A dashboard login session. The cookie holds a random token; only its SHA-256 is stored. */
export interface SessionTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}
export type Session = Selectable<SessionTable>;
