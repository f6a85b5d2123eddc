import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { CreatedAt } from './common.ts';
import type { AgeBand, ResidentRole } from './resident.table.ts';

/**
 * A street note: one conversation a neighbourhood team had, with one or more signals (street_note_signals). Who
 * roughly (age band, client/carer/resident) is coarse by design and optional, as for residents in the chat.
 */
export interface StreetNoteTable {
  id: string;
  municipality_code: string;
  author_user_id: string;
  wijk_code: string | null;
  place: string | null;
  /** The day of the conversation: a date column, written as YYYY-MM-DD; read it with noted_on::text (drivers differ). */
  noted_on: ColumnType<string, string, string>;
  age_band: AgeBand | null;
  resident_role: ResidentRole | null;
  created_at: CreatedAt;
}
export type StreetNote = Selectable<StreetNoteTable>;
export type NewStreetNote = Insertable<StreetNoteTable>;

export interface StreetNoteSignalTable {
  street_note_id: string;
  signal_id: string;
  /** The signal's place in the note, from 0, as the team typed them. */
  position: number;
}
