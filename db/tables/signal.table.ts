import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CreatedAt, JsonWithDefault, NullableTimestamp, SignalSource } from './common.ts';

/**
 * Where a signal is in the pipeline. `new`: stored, not yet taken by a worker (a start-up sweep requeues these);
 * `received`: taken into the pipeline; `analysed`: all steps done; `failed`: a permanent failure, visible to people.
 */
export type SignalStatus = 'new' | 'received' | 'analysed' | 'failed';
export const signalStatuses = ['new', 'received', 'analysed', 'failed'] as const satisfies readonly SignalStatus[];

export interface DomainScore {
  key: string;
  confidence: number;
}

/** One experience told by a resident or noted by a team: the unit everything downstream counts. */
export interface SignalTable {
  id: string;
  municipality_code: string;
  /** The id an importer gave it (CONTRACTS.md section 4), unique per municipality; null for channel signals. */
  external_id: string | null;
  /** Short code a resident can quote back ("WS-7K3P9Q"). */
  reference: string;
  source: SignalSource;
  resident_id: string | null;
  conversation_id: string | null;
  message_id: string | null;
  /** The text as told; deleted after the retention period. Never shown to councils or logged. */
  text_raw: string | null;
  /** The text with personal data replaced by typed placeholders: what analysis and councils see. */
  text_redacted: string | null;
  /** The resident's own answers to the bot's place questions, as typed. */
  place_answer: string | null;
  postcode_answer: string | null;
  language_hint: string | null;
  language: string | null;
  domains: JsonWithDefault<DomainScore[]>;
  review: Generated<boolean>;
  wijk_code: string | null;
  buurt_code: string | null;
  sentiment: number | null;
  urgent: Generated<boolean>;
  cluster_id: string | null;
  status: Generated<SignalStatus>;
  error: string | null;
  received_at: CreatedAt;
  processed_at: NullableTimestamp;
  text_deleted_at: NullableTimestamp;
}
export type Signal = Selectable<SignalTable>;
export type NewSignal = Insertable<SignalTable>;
export type SignalUpdate = Updateable<SignalTable>;
