/**
 * Residents are known by a keyed hash of their channel id (DESIGN.md, privacy): the same person on the same channel
 * gets the same pseudonym, but the pseudonym cannot be turned back into a phone number without the key.
 */
import { createHmac } from 'node:crypto';

export function pseudonymise(key: string, channel: 'whatsapp' | 'web', channelId: string): string {
  return createHmac('sha256', key).update(`${channel}\u0000${channelId}`).digest('base64url');
}

/**
 * WhatsApp message ids (wamids) carry the sender's phone number, base64-encoded: they are stored and compared only as
 * this keyed hash, which is enough to recognise a redelivery or a delivery status.
 */
export function messageKey(key: string, channel: 'whatsapp' | 'web', messageId: string): string {
  return createHmac('sha256', key).update(`message\u0000${channel}\u0000${messageId}`).digest('base64url');
}
