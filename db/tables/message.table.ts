import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Channel, CreatedAt, NullableTimestamp } from './common.ts';

export type MessageDirection = 'in' | 'out';
export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/** One message on a channel, in or out. Raw text is kept only until the retention period ends. */
export interface MessageTable {
  id: string;
  conversation_id: string | null;
  resident_id: string | null;
  municipality_code: string;
  channel: Channel;
  direction: MessageDirection;
  /** The channel's own id (WhatsApp wamid); unique per channel so redeliveries are idempotent. */
  external_id: string | null;
  /** text, image, audio, button, ... as the channel names it. */
  kind: string;
  text: string | null;
  status: MessageStatus;
  error: string | null;
  created_at: CreatedAt;
  text_deleted_at: NullableTimestamp;
}
export type Message = Selectable<MessageTable>;
export type NewMessage = Insertable<MessageTable>;
export type MessageUpdate = Updateable<MessageTable>;
