/** WhatsApp webhook bodies for tests and the bench. */
import { randomBytes } from 'node:crypto';

/** One signed text message from a resident, as Meta delivers it. */
export function textDelivery(phoneNumberId: string, phone: string, text: string): string {
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
              messages: [{ from: phone, id: `wamid.${randomBytes(12).toString('hex')}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}
