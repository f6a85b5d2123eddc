import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { Channel, CreatedAt, NullableTimestamp } from './common.ts';

/** Where an agenda item is; the order is the order of the loop (pipeline/loop/status.ts says which moves are allowed). */
export type AgendaStatus = 'new' | 'on_agenda' | 'in_discussion' | 'advice_given' | 'decided' | 'reported_back';
export const agendaStatuses = ['new', 'on_agenda', 'in_discussion', 'advice_given', 'decided', 'reported_back'] as const satisfies readonly AgendaStatus[];

/** An item on a municipality's participation agenda, made from one or more clusters (issue 6). */
export interface AgendaItemTable {
  id: string;
  municipality_code: string;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  status: ColumnType<AgendaStatus, AgendaStatus | undefined, AgendaStatus>;
  advice: string | null;
  decision: string | null;
  /** The message residents get when the item is reported back; English falls back to Dutch when empty. */
  feedback_nl: string | null;
  feedback_en: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  reported_back_at: NullableTimestamp;
  /** When the feedback fan-out finished; a reported-back item without it is resumed by the sweep. */
  feedback_queued_at: NullableTimestamp;
}
export type AgendaItem = Selectable<AgendaItemTable>;
export type NewAgendaItem = Insertable<AgendaItemTable>;

/** A cluster an item is about; label and domain copied, because a cluster may be merged away later. */
export interface AgendaItemClusterTable {
  agenda_item_id: string;
  cluster_id: string;
  label: string;
  domain_key: string;
}
export type AgendaItemCluster = Selectable<AgendaItemClusterTable>;

export type AgendaEventKind = 'created' | 'status' | 'note';

/** The item's history: its creation, every status change and every note, with who and when. Never changed. */
export interface AgendaEventTable {
  id: string;
  agenda_item_id: string;
  kind: AgendaEventKind;
  from_status: AgendaStatus | null;
  to_status: AgendaStatus | null;
  note: string | null;
  actor_user_id: string | null;
  at: CreatedAt;
}
export type AgendaEvent = Selectable<AgendaEventTable>;

/** One resident told about one item: the unique (item, resident) key makes sending twice impossible. */
export interface FeedbackDeliveryTable {
  agenda_item_id: string;
  resident_id: string;
  message_id: string | null;
  channel: Channel;
  created_at: CreatedAt;
}
export type FeedbackDelivery = Selectable<FeedbackDeliveryTable>;
