/** WhatsApp webhook bodies for tests and the bench. */
import { randomBytes } from 'node:crypto';

/** What a resident sends: a text, or a tap on a reply button. */
export type InboundContent = { text: string } | { button: string; title: string };

/** One message from a resident, as Meta delivers it (sign it with signBody). */
export function messageDelivery(phoneNumberId: string, phone: string, content: InboundContent, wamid = `wamid.${randomBytes(12).toString('hex')}`): string {
  const message =
    'text' in content
      ? { type: 'text', text: { body: content.text } }
      : { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: content.button, title: content.title } } };
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1234567890987654321',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '31201234567', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Bewoner' }, wa_id: phone }],
              messages: [{ from: phone, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
            },
          },
        ],
      },
    ],
  });
}

/** One text message from a resident, as Meta delivers it. */
export function textDelivery(phoneNumberId: string, phone: string, text: string): string {
  return messageDelivery(phoneNumberId, phone, { text });
}
