import type { Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, JsonWithDefault } from './common.ts';

/** Append-only record of who saw and changed what (DESIGN.md, privacy). No repository function updates or deletes. */
export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_kind: 'user' | 'system' | 'resident';
  actor_id: string | null;
  action: string;
  municipality_code: string | null;
  subject_type: string | null;
  subject_id: string | null;
  details: JsonWithDefault<Record<string, unknown>>;
}
export type AuditEntry = Selectable<AuditLogTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
