import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Channel, CreatedAt, JsonWithDefault, NullableTimestamp, Timestamp } from './common.ts';

/**
 * A conversation with a resident. The conversation core is a state machine whose state lives here, so any process
 * can continue any conversation.
 */
export interface ConversationTable {
  id: string;
  resident_id: string;
  municipality_code: string;
  channel: Channel;
  state: string;
  context: JsonWithDefault<Record<string, unknown>>;
  language: string | null;
  started_at: CreatedAt;
  updated_at: Timestamp;
  closed_at: NullableTimestamp;
}
export type Conversation = Selectable<ConversationTable>;
export type NewConversation = Insertable<ConversationTable>;
export type ConversationUpdate = Updateable<ConversationTable>;
