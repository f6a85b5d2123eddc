/**
 * What we send on WhatsApp, shaped as the Cloud API documents it (POST /{phone-number-id}/messages): plain text,
 * reply buttons (at most 3, titles at most 20 characters), a list (at most 10 rows, titles at most 24 characters),
 * or, outside the 24-hour customer-service window, an approved template from the municipality's registry.
 */
import type { Choice } from '../../conversation/core.ts';

export const limits = {
  textBody: 4096,
  interactiveBody: 1024,
  buttons: 3,
  buttonTitle: 20,
  listRows: 10,
  rowTitle: 24,
  listButton: 20,
  choiceId: 200,
} as const;

/** The 24-hour customer-service window: free-form messages only within a day of the resident's last message. */
export const serviceWindowMs = 24 * 3600 * 1000;

export function withinServiceWindow(lastInboundAt: Date | null, now: Date): boolean {
  return lastInboundAt !== null && now.getTime() - lastInboundAt.getTime() < serviceWindowMs;
}

type Recipient = { to: string } | { recipient: string };

export type GraphMessage = { messaging_product: 'whatsapp'; recipient_type: 'individual' } & Recipient &
  (
    | { type: 'text'; text: { body: string; preview_url: boolean } }
    | { type: 'interactive'; interactive: InteractiveButtons | InteractiveList }
    | { type: 'template'; template: { name: string; language: { code: string }; components?: { type: 'body'; parameters: { type: 'text'; text: string }[] }[] } }
  );

interface InteractiveButtons {
  type: 'button';
  body: { text: string };
  action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
}

interface InteractiveList {
  type: 'list';
  body: { text: string };
  action: { button: string; sections: { title?: string; rows: { id: string; title: string }[] }[] };
}

/** A phone number (digits) is sent as `to`; a business-scoped user id ("NL.123…") as `recipient`. */
export function recipientOf(contact: string): Recipient {
  return /^\+?\d{6,20}$/.test(contact) ? { to: contact.replace(/^\+/, '') } : { recipient: contact };
}

function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Keeps at most `max` choices: the essential ones (such as "skip") always, the others in order. A resident can
 * always type an answer that is not on the list.
 */
export function fitChoices(choices: readonly Choice[], max: number): Choice[] {
  if (choices.length <= max) return [...choices];
  const essential = choices.filter((c) => c.essential === true);
  const room = Math.max(0, max - essential.length);
  const kept = new Set([...choices.filter((c) => c.essential !== true).slice(0, room), ...essential]);
  return choices.filter((c) => kept.has(c));
}

/** Text with quick replies: buttons for up to three, a list for more, plain text for none or a long text. */
export function buildMessage(contact: string, text: string, choices: readonly Choice[], listButton: string): GraphMessage {
  const base = { messaging_product: 'whatsapp' as const, recipient_type: 'individual' as const, ...recipientOf(contact) };
  const chars = Array.from(text).length;
  if (choices.length === 0 || chars > limits.interactiveBody) {
    // Quick replies need an interactive body (1,024 characters); a longer text goes as text, and the resident types.
    return { ...base, type: 'text', text: { body: shorten(text, limits.textBody), preview_url: false } };
  }
  if (choices.length <= limits.buttons) {
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text },
        action: { buttons: choices.map((c) => ({ type: 'reply' as const, reply: { id: c.id.slice(0, limits.choiceId), title: shorten(c.title, limits.buttonTitle) } })) },
      },
    };
  }
  return {
    ...base,
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text },
      action: {
        button: shorten(listButton, limits.listButton),
        sections: [{ rows: fitChoices(choices, limits.listRows).map((c) => ({ id: c.id.slice(0, limits.choiceId), title: shorten(c.title, limits.rowTitle) })) }],
      },
    },
  };
}

/**
 * An approved template, by purpose, from municipalities.settings.whatsappTemplates:
 * { purpose: { name, languages, approved?, parameters? } } (bot/conversation/text-rules.ts TemplateEntry).
 */
export interface TemplateRef {
  name: string;
  language: string;
  /** How many body parameters the approved template declares; with exactly one, it carries the message's text. */
  parameters: number;
}

export function templateFor(settings: Record<string, unknown>, purpose: string | undefined, language: string | null): TemplateRef | undefined {
  const registry = settings.whatsappTemplates;
  if (purpose === undefined || typeof registry !== 'object' || registry === null) return undefined;
  const entry = (registry as Record<string, unknown>)[purpose];
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { name, languages, approved: isApproved, parameters } = entry as { name?: unknown; languages?: unknown; approved?: unknown; parameters?: unknown };
  if (typeof name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(name)) return undefined;
  // Marked not (yet) approved on /dashboard/beheer/bot: Meta would refuse it, so it is not used.
  if (isApproved === false) return undefined;
  // languages: the approved translations, e.g. ["nl", "en"]; the resident's own when approved, else the first.
  const approved = Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : [];
  const chosen = approved.find((l) => l === language) ?? approved[0];
  return chosen ? { name, language: chosen, parameters: Array.isArray(parameters) ? parameters.length : 0 } : undefined;
}

/**
 * An approved template. When it declares one body parameter ("Nieuws van de gemeente: {{1}}"), the message's own text
 * fills it, so a resident outside the 24-hour window still reads what was decided; Meta refuses newlines, tabs and
 * long runs of spaces in a parameter, so whitespace is flattened. Other templates go without parameters.
 */
export function buildTemplateMessage(contact: string, template: TemplateRef, text?: string): GraphMessage {
  const filled = template.parameters === 1 && text !== undefined && text.trim() !== '' ? shorten(text.replace(/\s+/g, ' ').trim(), limits.interactiveBody) : undefined;
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    ...recipientOf(contact),
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(filled !== undefined ? { components: [{ type: 'body' as const, parameters: [{ type: 'text' as const, text: filled }] }] } : {}),
    },
  };
}
