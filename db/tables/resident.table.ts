import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Channel, CreatedAt, NullableTimestamp, Timestamp } from './common.ts';

export type AgeBand = '0_15' | '15_25' | '25_45' | '45_65' | '65_plus';
/** Whether the resident uses care or support, cares for someone, or neither (DESIGN.md: who is heard). */
export type ResidentRole = 'client' | 'carer' | 'resident';

/**
 * A resident, pseudonymous: known only by a keyed hash of their channel id (a WhatsApp user id or phone number, a
 * web chat cookie). Profile answers are optional and coarse by design.
 */
export interface ResidentTable {
  id: string;
  municipality_code: string;
  channel: Channel;
  /** HMAC-SHA256 of the channel id with the pseudonym key; never the id itself. */
  channel_key_hash: string;
  language: string | null;
  age_band: AgeBand | null;
  role: ResidentRole | null;
  wijk_code: string | null;
  buurt_code: string | null;
  wants_feedback: Generated<boolean>;
  may_invite: Generated<boolean>;
  consent_at: NullableTimestamp;
  /**
   * What is needed to answer on the channel (a WhatsApp number) when the resident asked to hear back; anonymised
   * after the retention period.
   */
  contact: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  /** When their data was erased on request (0009_privacy): outbound messages stored before it are never sent. */
  erased_at: NullableTimestamp;
  /** When retention removed contact data and the channel pseudonym after long inactivity (0009_privacy). */
  anonymised_at: NullableTimestamp;
}
export type Resident = Selectable<ResidentTable>;
export type NewResident = Insertable<ResidentTable>;
export type ResidentUpdate = Updateable<ResidentTable>;
