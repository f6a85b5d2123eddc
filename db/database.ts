/** The whole schema as Kysely sees it: one table type per table, in db/tables/. */
import type { AgendaEventTable, AgendaItemClusterTable, AgendaItemTable, FeedbackDeliveryTable } from './tables/agenda.table.ts';
import type { AuditLogTable } from './tables/audit.table.ts';
import type { BoundaryTable } from './tables/boundary.table.ts';
import type { ClusterTable } from './tables/cluster.table.ts';
import type { ConversationTable } from './tables/conversation.table.ts';
import type { BuurtTable, WijkTable } from './tables/gazetteer.table.ts';
import type { MessageTable } from './tables/message.table.ts';
import type { MunicipalityTable } from './tables/municipality.table.ts';
import type { PollAnswerTable, PollDeliveryTable, PollTable } from './tables/poll.table.ts';
import type { ResidentTable } from './tables/resident.table.ts';
import type { SignalReviewTable } from './tables/signal-review.table.ts';
import type { SignalTable } from './tables/signal.table.ts';
import type { StreetNoteSignalTable, StreetNoteTable } from './tables/street-note.table.ts';
import type { SessionTable, UserTable } from './tables/user.table.ts';
import type { MunicipalityDomainTable } from './tables/taxonomy.table.ts';

export interface Database {
  municipalities: MunicipalityTable;
  wijken: WijkTable;
  buurten: BuurtTable;
  residents: ResidentTable;
  conversations: ConversationTable;
  messages: MessageTable;
  signals: SignalTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  street_notes: StreetNoteTable;
  street_note_signals: StreetNoteSignalTable;
  clusters: ClusterTable;
  signal_reviews: SignalReviewTable;
  boundaries: BoundaryTable;
  agenda_items: AgendaItemTable;
  agenda_item_clusters: AgendaItemClusterTable;
  agenda_events: AgendaEventTable;
  feedback_deliveries: FeedbackDeliveryTable;
  polls: PollTable;
  poll_deliveries: PollDeliveryTable;
  poll_answers: PollAnswerTable;
  municipality_domains: MunicipalityDomainTable;
}

export type * from './tables/agenda.table.ts';
export type * from './tables/audit.table.ts';
export type * from './tables/boundary.table.ts';
export type * from './tables/cluster.table.ts';
export type * from './tables/common.ts';
export type * from './tables/conversation.table.ts';
export type * from './tables/gazetteer.table.ts';
export type * from './tables/message.table.ts';
export type * from './tables/municipality.table.ts';
export type * from './tables/poll.table.ts';
export type * from './tables/resident.table.ts';
export type * from './tables/signal-review.table.ts';
export type * from './tables/signal.table.ts';
export type * from './tables/street-note.table.ts';
export type * from './tables/taxonomy.table.ts';
export type * from './tables/user.table.ts';
