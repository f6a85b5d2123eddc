/**
 * The conversation service: one inbound message in, stored, run through the conversation core, effects applied and
 * the reply stored, all in one transaction; signals and the reply are queued after commit. The state lives in the
 * database and the conversation row is locked while a message is handled, so any process can continue any
 * conversation and two messages at once take turns.
 */
import type { Transaction } from 'kysely';
import type { Channel, Database, MessagePayload } from '../db/database.ts';
import { appendAudit } from '../db/repositories/audit.ts';
import {
  eraseResidentData,
  lockConversation,
  recordConsent,
  saveConversationState,
  setPlaceAnswer,
  setResidentContact,
  storeReply,
  updateResidentProfile,
} from '../db/repositories/conversations.ts';
import { storeInboundMessage } from '../db/repositories/messages.ts';
import { getMunicipality, listWijken } from '../db/repositories/municipalities.ts';
import { findOrCreateResident, openConversation } from '../db/repositories/residents.ts';
import { detectCrisis } from '../pipeline/steps/urgency.ts';
import { pauseMs, restore, resumeAfterPause, step, type Choice, type ConversationInput, type ConversationState, type Effect, type Reply, type UnsupportedKind } from './conversation/core.ts';
import { textsFor } from './conversation/texts.ts';
import { pseudonymise } from './identity.ts';
import { queueSend, queueSignal, storeSignalFromMessages, type IntakeDeps } from './intake.ts';

export interface ConversationDeps extends IntakeDeps {
  /** Base of absolute links in replies (the privacy statement); relative links when unset. */
  publicUrl?: string | undefined;
}

/** What a channel adapter makes of one message: the resident's words, a quick reply, or something we cannot read. */
export type InboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'choice'; id: string; title: string }
  | { kind: 'unsupported'; what: UnsupportedKind; channelKind: string };

export interface InboundMessage {
  municipalityCode: string;
  channel: Channel;
  /** The channel's own id of the resident (web chat token, WhatsApp user id or number); only its keyed hash is stored. */
  channelUserId: string;
  /** The channel's id of the message, for idempotent redelivery; null when the channel has none. */
  externalId: string | null;
  content: InboundContent;
  /** Where replies must go (a WhatsApp number or user id), kept on the resident only because sending needs it. */
  contact?: string | undefined;
}

export interface HandledMessage {
  /** The message had been stored before (a redelivery): nothing new was stored, answered or queued. */
  duplicate: boolean;
  residentId: string;
  conversationId: string;
  state: ConversationState;
  signals: { id: string; reference: string; urgent: boolean }[];
  reply: { id: string; text: string; choices: Choice[] } | undefined;
}

/** Longest text kept from one message (WhatsApp's own limit for a text); the rest is cut off and the reply says so. */
export const maxStoredText = 4096;

export async function handleInbound(deps: ConversationDeps, inbound: InboundMessage): Promise<HandledMessage> {
  const handled = await deps.db.transaction().execute((trx) => handleInTransaction(trx, deps, inbound));
  if (!handled.duplicate) {
    for (const signal of handled.signals) await queueSignal(deps, signal.id);
    if (handled.reply && inbound.channel === 'whatsapp') await queueSend(deps, handled.reply.id);
  }
  return handled;
}

async function handleInTransaction(trx: Transaction<Database>, deps: ConversationDeps, inbound: InboundMessage): Promise<HandledMessage> {
  const municipality = await getMunicipality(trx, inbound.municipalityCode);
  if (!municipality) throw new Error(`unknown municipality ${inbound.municipalityCode}`);
  const resident = await findOrCreateResident(trx, {
    municipalityCode: inbound.municipalityCode,
    channel: inbound.channel,
    channelKeyHash: pseudonymise(deps.pseudonymKey, inbound.channel, inbound.channelUserId),
  });
  if (inbound.contact !== undefined) await setResidentContact(trx, resident.id, inbound.contact);
  const opened = await openConversation(trx, resident, 'start');
  let conversation = await lockConversation(trx, opened.id);

  const content = inbound.content;
  const { message, duplicate } = await storeInboundMessage(trx, {
    conversationId: conversation.id,
    residentId: resident.id,
    municipalityCode: inbound.municipalityCode,
    channel: inbound.channel,
    externalId: inbound.externalId,
    kind: content.kind === 'unsupported' ? content.channelKind : content.kind,
    // Media, locations and contact cards are not kept: only what the resident typed or chose.
    text: content.kind === 'text' ? content.text.slice(0, maxStoredText) : content.kind === 'choice' ? content.title : null,
  });
  if (duplicate) {
    return { duplicate, residentId: resident.id, conversationId: conversation.id, state: conversation.state as ConversationState, signals: [], reply: undefined };
  }

  const loaded = restore(conversation.state, conversation.context);
  if (conversation.state === 'start' && resident.language === 'en') loaded.context.language = 'en';
  // Back after a pause (halfway through the questions last week): listen again instead of repeating an old question.
  const restored = Date.now() - conversation.updated_at.getTime() > pauseMs ? resumeAfterPause(loaded.state, loaded.context) : loaded;
  const truncated = content.kind === 'text' && content.text.length > maxStoredText;
  const input: ConversationInput =
    content.kind === 'text'
      ? { kind: 'text', messageId: message.id, text: content.text.slice(0, maxStoredText) }
      : content.kind === 'choice'
        ? { kind: 'choice', messageId: message.id, id: content.id, title: content.title }
        : { kind: 'unsupported', messageId: message.id, what: content.what };
  const wijken = await listWijken(trx, inbound.municipalityCode);
  const settings = municipality.settings;
  const privacyUrl = typeof settings.privacyUrl === 'string' ? settings.privacyUrl : `${deps.publicUrl ?? ''}/privacy`;
  const texts = textsFor(settings);
  const result = step(restored.state, restored.context, input, {
    texts,
    municipalityName: municipality.name,
    privacyUrl,
    wijken: wijken.map((w) => ({ code: w.code, name: w.name })),
    detectCrisis,
  });

  const signals: HandledMessage['signals'] = [];
  let erased = false;
  for (const effect of result.effects) {
    const applied = await applyEffect(trx, effect, { inbound, residentId: resident.id, conversationId: conversation.id, language: result.context.language });
    if (applied === 'erased') erased = true;
    else if (applied) signals.push(applied);
  }
  if (erased) {
    // The old conversation is gone with everything in it; the confirmation goes into a fresh one.
    conversation = await openConversation(trx, resident, result.state);
  }
  // The experience's reference is its first signal's, once the story is being told (a crisis message sent before
  // consent is its own signal, not the start of the experience).
  const telling = result.state === 'adding' || result.state.startsWith('ask-');
  const context = { ...result.context, reference: result.context.reference ?? (telling ? (signals[0]?.reference ?? null) : null) };
  await saveConversationState(trx, conversation.id, result.state, context, context.language);

  const reference = signals[0]?.reference ?? restored.context.reference ?? '';
  const replies = truncated ? [{ text: texts[result.context.language].tooLong }, ...result.replies] : result.replies;
  let combined = combineReplies(replies, reference);
  // 50 messages in 10 seconds: every one is stored and goes through the conversation as usual, but the resident gets
  // one polite "slow down" instead of a flood of replies; a crisis reply or an erasure confirmation always goes out.
  const critical = erased || result.effects.some((e) => e.type === 'store-signal' && e.urgent);
  if (combined && !critical && (await flooding(trx, resident.id))) {
    combined = (await slowDownSent(trx, resident.id)) ? undefined : { text: texts[result.context.language].slowDown, choices: [], kind: 'slow-down' };
  }
  let reply: HandledMessage['reply'];
  if (combined) {
    const payload: MessagePayload = combined.choices.length > 0 ? { choices: combined.choices } : {};
    const stored = await storeReply(trx, {
      conversationId: conversation.id,
      residentId: resident.id,
      municipalityCode: inbound.municipalityCode,
      channel: inbound.channel,
      kind: erased ? 'erasure' : (combined.kind ?? 'text'),
      text: combined.text,
      payload,
      // The web chat shows a reply as soon as it is stored; WhatsApp replies wait for the send job.
      status: inbound.channel === 'web' ? 'sent' : 'queued',
    });
    reply = { id: stored.id, text: combined.text, choices: combined.choices };
  }
  return { duplicate, residentId: resident.id, conversationId: conversation.id, state: result.state, signals, reply };
}

async function applyEffect(
  trx: Transaction<Database>,
  effect: Effect,
  at: { inbound: InboundMessage; residentId: string; conversationId: string; language: string },
): Promise<{ id: string; reference: string; urgent: boolean } | 'erased' | undefined> {
  switch (effect.type) {
    case 'give-consent':
      await recordConsent(trx, at.residentId);
      return undefined;
    case 'store-signal': {
      const signal = await storeSignalFromMessages(trx, {
        municipalityCode: at.inbound.municipalityCode,
        channel: at.inbound.channel,
        residentId: at.residentId,
        conversationId: at.conversationId,
        messageIds: effect.messageIds,
        urgent: effect.urgent,
        languageHint: at.language,
      });
      if (signal && effect.urgent) {
        await appendAudit(trx, { actor_kind: 'system', actor_id: null, action: 'signal.flagged-urgent', municipality_code: at.inbound.municipalityCode, subject_type: 'signal', subject_id: signal.id, details: { crisis: effect.crisis } });
      }
      return signal ? { id: signal.id, reference: signal.reference, urgent: signal.urgent } : undefined;
    }
    case 'set-profile': {
      const { placeAnswer, ...profile } = effect.profile;
      await updateResidentProfile(trx, at.residentId, profile);
      if (placeAnswer !== undefined) await setPlaceAnswer(trx, at.conversationId, placeAnswer);
      return undefined;
    }
    case 'erase-resident': {
      const counts = await eraseResidentData(trx, at.residentId);
      await appendAudit(trx, { actor_kind: 'resident', actor_id: at.residentId, action: 'resident.erased', municipality_code: at.inbound.municipalityCode, subject_type: 'resident', subject_id: at.residentId, details: counts });
      return 'erased';
    }
  }
}

/** More than this many messages from one resident within floodWindowMs is a flood. */
export const floodLimit = 15;
export const floodWindowMs = 10_000;

async function flooding(trx: Transaction<Database>, residentId: string): Promise<boolean> {
  const since = new Date(Date.now() - floodWindowMs);
  const row = await trx
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('resident_id', '=', residentId)
    .where('direction', '=', 'in')
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n) > floodLimit;
}

/** Whether this flood already got its "slow down": then the resident hears nothing more until it is over. */
async function slowDownSent(trx: Transaction<Database>, residentId: string): Promise<boolean> {
  const since = new Date(Date.now() - floodWindowMs);
  const row = await trx
    .selectFrom('messages')
    .select('id')
    .where('resident_id', '=', residentId)
    .where('direction', '=', 'out')
    .where('kind', '=', 'slow-down')
    .where('created_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * One step's replies as one message: channels such as WhatsApp limit how many messages a business sends in a row,
 * and one bubble reads better. The quick replies of the last reply that has them are kept.
 */
export function combineReplies(replies: readonly Reply[], reference: string): { text: string; choices: Choice[]; kind?: string } | undefined {
  if (replies.length === 0) return undefined;
  const text = replies.map((r) => r.text.replaceAll('{reference}', reference)).join('\n\n');
  const choices = [...replies].reverse().find((r) => r.choices && r.choices.length > 0)?.choices ?? [];
  return { text, choices };
}
