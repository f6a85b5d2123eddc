/**
 * Turns a WhatsApp Cloud API webhook delivery into what the bot acts on: messages from residents and delivery
 * statuses of our own messages. Only the fields used are read; unknown fields and unknown change kinds (calls,
 * templates, account updates, echoes) are ignored. A message that does not have the shape its type promises is
 * answered as one we cannot read, never dropped silently and never a crash.
 */
import { z } from 'zod';
import { storableJson } from '../../../db/plugins/no-nul-characters.ts';
import type { InboundContent } from '../../conversation-service.ts';
import type { UnsupportedKind } from '../../conversation/core.ts';

export interface WhatsAppInbound {
  /** The wamid: redeliveries carry the same one. */
  id: string;
  /** The business phone number it was sent to. */
  phoneNumberId: string | undefined;
  /** Who sent it: the business-scoped user id when Meta gives one, else the phone number. Hashed before storing. */
  userKey: string;
  /**
   * The phone number's key (`phone:…`) when userKey is the user id's and Meta gave the number too: a resident known
   * so far by the number keeps their identity (bot/channels/whatsapp/store.ts).
   */
  formerUserKey?: string | undefined;
  /** Where to reply: the phone number when known, else the business-scoped user id. */
  replyTo: string;
  content: InboundContent;
}

export interface WhatsAppStatus {
  /** The wamid of our message. */
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** Meta's error code and title, for a failed message: never the recipient. */
  error: string | null;
}

export interface ParsedDelivery {
  messages: WhatsAppInbound[];
  statuses: WhatsAppStatus[];
}

const contactSchema = z.object({ wa_id: z.string().optional(), user_id: z.string().optional() });
const messageBase = z.object({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  type: z.string(),
});
const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional() })).optional(),
});
const changeSchema = z.object({
  field: z.string(),
  value: z
    .object({
      metadata: z.object({ phone_number_id: z.string().optional() }).optional(),
      contacts: z.array(z.unknown()).optional(),
      messages: z.array(z.unknown()).optional(),
      statuses: z.array(z.unknown()).optional(),
    })
    .optional(),
});
const deliverySchema = z.object({
  object: z.string().optional(),
  entry: z.array(z.object({ changes: z.array(z.unknown()).optional() })),
});

const text = z.object({ text: z.object({ body: z.string() }) });
const interactive = z.object({
  interactive: z.union([
    z.object({ type: z.literal('button_reply'), button_reply: z.object({ id: z.string(), title: z.string() }) }),
    z.object({ type: z.literal('list_reply'), list_reply: z.object({ id: z.string(), title: z.string() }) }),
  ]),
});
const button = z.object({ button: z.object({ payload: z.string().optional(), text: z.string() }) });
const audio = z.object({ audio: z.object({ voice: z.boolean().optional() }).optional() });
const reaction = z.object({ reaction: z.object({ emoji: z.string().optional() }).optional() });

/** Message types that say nothing to answer: system notices, deleted messages, removed reactions. */
const silentTypes = new Set(['system', 'revoke', 'ephemeral', 'request_welcome']);
const refusedTypes = new Map<string, UnsupportedKind>([
  ['image', 'image'],
  ['video', 'video'],
  ['document', 'document'],
  ['sticker', 'sticker'],
  ['location', 'location'],
  ['contacts', 'contacts'],
]);

/** Undefined when the body is not a WhatsApp delivery at all. */
export function parseDelivery(body: unknown): ParsedDelivery | undefined {
  // JSON escapes can carry NUL and lone surrogates, which PostgreSQL cannot store (found by test/fuzz.test.ts).
  const delivery = deliverySchema.safeParse(storableJson(body));
  if (!delivery.success) return undefined;
  const result: ParsedDelivery = { messages: [], statuses: [] };
  for (const entry of delivery.data.entry) {
    for (const rawChange of entry.changes ?? []) {
      const change = changeSchema.safeParse(rawChange);
      if (!change.success || change.data.field !== 'messages' || !change.data.value) continue;
      const value = change.data.value;
      const contacts = (value.contacts ?? []).flatMap((c) => {
        const parsed = contactSchema.safeParse(c);
        return parsed.success ? [parsed.data] : [];
      });
      for (const raw of value.messages ?? []) {
        const message = parseMessage(raw, contacts, value.metadata?.phone_number_id);
        if (message) result.messages.push(message);
      }
      for (const raw of value.statuses ?? []) {
        const status = statusSchema.safeParse(raw);
        if (!status.success) continue;
        const s = status.data.status;
        // 'played' (a voice message was listened to) and unknown statuses change nothing we show.
        if (s !== 'sent' && s !== 'delivered' && s !== 'read' && s !== 'failed') continue;
        const first = status.data.errors?.[0];
        const error = s === 'failed' ? `whatsapp ${first?.code ?? 'unknown'}: ${first?.title ?? 'failed'}` : null;
        result.statuses.push({ id: status.data.id, status: s, error });
      }
    }
  }
  return result;
}

function parseMessage(raw: unknown, contacts: z.infer<typeof contactSchema>[], phoneNumberId: string | undefined): WhatsAppInbound | undefined {
  const base = messageBase.safeParse(raw);
  if (!base.success) return undefined;
  const m = base.data;
  const contact = contacts.find((c) => c.wa_id !== undefined && c.wa_id === m.from) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const userId = m.from_user_id ?? contact?.user_id;
  const phone = m.from ?? contact?.wa_id;
  const userKey = userId !== undefined ? `bsuid:${userId}` : phone !== undefined ? `phone:${phone}` : undefined;
  const replyTo = phone ?? userId;
  if (userKey === undefined || replyTo === undefined) return undefined;
  const content = contentOf(m.type, raw);
  if (content === undefined) return undefined;
  const formerUserKey = userId !== undefined && phone !== undefined ? `phone:${phone}` : undefined;
  return { id: m.id, phoneNumberId, userKey, formerUserKey, replyTo, content };
}

function contentOf(type: string, raw: unknown): InboundContent | undefined {
  if (silentTypes.has(type)) return undefined;
  switch (type) {
    case 'text': {
      const parsed = text.safeParse(raw);
      return parsed.success ? { kind: 'text', text: parsed.data.text.body } : refused('other', type);
    }
    case 'interactive': {
      const parsed = interactive.safeParse(raw);
      if (!parsed.success) return refused('other', type);
      const reply = parsed.data.interactive.type === 'button_reply' ? parsed.data.interactive.button_reply : parsed.data.interactive.list_reply;
      return { kind: 'choice', id: reply.id, title: reply.title };
    }
    case 'button': {
      const parsed = button.safeParse(raw);
      if (!parsed.success) return refused('other', type);
      return { kind: 'choice', id: parsed.data.button.payload ?? parsed.data.button.text, title: parsed.data.button.text };
    }
    case 'audio': {
      const parsed = audio.safeParse(raw);
      return refused(parsed.success && parsed.data.audio?.voice === true ? 'voice' : 'audio', type);
    }
    case 'reaction': {
      const parsed = reaction.safeParse(raw);
      // Taking a reaction back (no emoji) needs no answer.
      if (!parsed.success || !parsed.data.reaction?.emoji) return undefined;
      return refused('reaction', type);
    }
    default:
      return refused(refusedTypes.get(type) ?? 'other', type);
  }
}

function refused(what: UnsupportedKind, channelKind: string): InboundContent {
  return { kind: 'unsupported', what, channelKind: channelKind.slice(0, 40) };
}
