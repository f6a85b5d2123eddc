import type { ColumnType, Selectable } from 'kysely';
import type { AgeBand, ResidentRole } from './resident.table.ts';
import type { Channel, CreatedAt, JsonWithDefault, NullableTimestamp } from './common.ts';

export type PollKind = 'choice' | 'open';

export interface PollOption {
  /** Short and stable ('a', 'b', 'c'): part of the reply button id. */
  id: string;
  /** At most 20 characters (a WhatsApp reply button's title). */
  title: string;
}

/** One question of a poll: multiple choice (2-3 options as buttons) or, as the last question only, open. */
export interface PollQuestion {
  question: string;
  kind: PollKind;
  options: PollOption[];
}

/** What an invitation to a temporary table is about: shown to the organiser, and part of the message residents get. */
export interface Meeting {
  title: string;
  when: string;
  where: string;
  text: string;
}

/** Who gets a poll: residents who may be invited, narrowed by these (empty: no narrowing). */
export interface PollAudience {
  wijken?: string[];
  ageBands?: AgeBand[];
  roles?: ResidentRole[];
  /** An invitation to a temporary table: only residents with a signal in this cluster. */
  clusterId?: string;
}

/** A flash poll (issue 6): one question to opted-in residents. */
export interface PollTable {
  id: string;
  municipality_code: string;
  question: string;
  kind: PollKind;
  options: JsonWithDefault<PollOption[]>;
  /** Every question in order (0016_poll_questions); question, kind and options above are the first one. */
  questions: JsonWithDefault<PollQuestion[]>;
  audience: JsonWithDefault<PollAudience>;
  created_by: string | null;
  created_at: CreatedAt;
  sent_at: NullableTimestamp;
  queued_at: NullableTimestamp;
  skipped: JsonWithDefault<Record<string, number>>;
  closed_at: NullableTimestamp;
  /** Set for an invitation to a temporary table (0015_tables); null for a flash poll. */
  meeting: ColumnType<Meeting | null, string | null | undefined, string | null>;
}
export type Poll = Selectable<PollTable>;

/** One resident sent one poll: the key (poll, resident) makes sending twice impossible. */
export interface PollDeliveryTable {
  poll_id: string;
  resident_id: string;
  message_id: string | null;
  channel: Channel;
  created_at: CreatedAt;
  settled_at: NullableTimestamp;
}

/** One answer per resident per poll question; a later answer replaces the earlier one. */
export interface PollAnswerTable {
  poll_id: string;
  resident_id: string;
  question_index: ColumnType<number, number | undefined, number>;
  option_id: string | null;
  signal_id: string | null;
  answered_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
