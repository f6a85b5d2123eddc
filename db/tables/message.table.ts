import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Channel, CreatedAt, JsonWithDefault, NullableTimestamp } from './common.ts';

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
  /**
   * The channel's own id, unique per channel so redeliveries are idempotent. For WhatsApp a keyed hash of the wamid
   * (bot/identity.ts messageKey), because a wamid encodes the phone number.
   */
  external_id: string | null;
  /** text, image, audio, button, ... as the channel names it. */
  kind: string;
  text: string | null;
  status: MessageStatus;
  error: string | null;
  created_at: CreatedAt;
  text_deleted_at: NullableTimestamp;
  /** Outbound only: quick replies offered with the text, or the template to send outside the 24-hour window. */
  payload: JsonWithDefault<MessagePayload>;
}

export interface MessagePayload {
  choices?: { id: string; title: string; essential?: boolean }[];
  /** A template purpose from the municipality's registry (settings.whatsappTemplates). */
  template?: string;
}
export type Message = Selectable<MessageTable>;
export type NewMessage = Insertable<MessageTable>;
export type MessageUpdate = Updateable<MessageTable>;
