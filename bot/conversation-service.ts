/**
 * The conversation service: one inbound message in, stored, run through the conversation core, effects applied and
 * the reply stored, all in one transaction; signals and the reply are queued after commit. The state lives in the
 * database and the conversation row is locked while a message is handled, so any process can continue any
 * conversation and two messages at once take turns.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Channel, Conversation, Database, MessagePayload, Municipality, Resident } from '../db/database.ts';
import { appendAudit } from '../db/repositories/audit.ts';
import {
  lockConversation,
  recordConsent,
  saveConversationState,
  setPlaceAnswer,
  setResidentContact,
  storeReply,
  updateResidentProfile,
} from '../db/repositories/conversations.ts';
import { eraseResident } from '../db/repositories/erasure.ts';
import { storeInboundMessage } from '../db/repositories/messages.ts';
import { getMunicipality } from '../db/repositories/municipalities.ts';
import { awaitingPoll, recordPollAnswer, settlePollDelivery } from '../db/repositories/polls.ts';
import { parsePollChoice, parseQuestionOptionId } from '../pipeline/loop/poll.ts';
import { findOrCreateResident, openConversation } from '../db/repositories/residents.ts';
import { detectCrisis } from '../pipeline/steps/urgency.ts';
import { pauseMs, restore, resumeAfterPause, step, type Choice, type ConversationInput, type ConversationState, type Effect, type Reply, type UnsupportedKind } from './conversation/core.ts';
import { textsFor } from './conversation/texts.ts';
import { pseudonymise } from './identity.ts';
import type { JobRequest } from '../pipeline/queue/queue.ts';
import { cachedWijken } from './gazetteer-cache.ts';
import { maxStoredText, pendingMessages, storedKind, storedText } from './waiting-messages.ts';
import { queueJobs, storeSignalFromMessages, type IntakeDeps } from './intake.ts';

export { maxStoredText, pendingTurnIds } from './waiting-messages.ts';

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
  /** The conversation's language after this message. */
  language: string;
  signals: { id: string; reference: string; urgent: boolean }[];
  reply: { id: string; text: string; choices: Choice[] } | undefined;
}


export async function handleInbound(deps: ConversationDeps, inbound: InboundMessage): Promise<HandledMessage> {
  const handled = await deps.db.transaction().execute((trx) => handleInTransaction(trx, deps, inbound));
  if (!handled.duplicate) await queueFollowUps(deps, inbound.channel, [handled]);
  return handled;
}

/**
 * The conversation turn of WhatsApp messages the webhook stored and acknowledged (`conversation.turn`, with the
 * message id only). Under the conversation's lock it takes every message of the resident that has not had its turn
 * yet, oldest first, so messages are answered in the order they were sent whichever job runs first; a job whose
 * message already had its turn does nothing (idempotent).
 */
export async function runTurn(deps: ConversationDeps, messageId: string): Promise<HandledMessage[]> {
  const handled = await deps.db.transaction().execute((trx) => turnInTransaction(trx, deps, messageId));
  if (handled.length > 0) await queueFollowUps(deps, 'whatsapp', handled);
  return handled;
}

/** Signals into the pipeline and WhatsApp replies to the send job, after commit, in one queue round trip. */
async function queueFollowUps(deps: ConversationDeps, channel: Channel, handled: readonly HandledMessage[]): Promise<void> {
  const jobs: JobRequest[] = [];
  for (const h of handled) {
    for (const signal of h.signals) jobs.push({ name: 'signal.received', payload: { signalId: signal.id } });
    if (h.reply && channel === 'whatsapp') jobs.push({ name: 'message.send', payload: { messageId: h.reply.id } });
  }
  await queueJobs(deps, jobs);
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
  const conversation = await openLockedConversation(trx, resident);

  const content = inbound.content;
  const { message, duplicate } = await storeInboundMessage(trx, {
    conversationId: conversation.id,
    residentId: resident.id,
    municipalityCode: inbound.municipalityCode,
    channel: inbound.channel,
    externalId: inbound.externalId,
    kind: storedKind(content),
    text: storedText(content),
  });
  if (duplicate) {
    return { duplicate, residentId: resident.id, conversationId: conversation.id, state: conversation.state as ConversationState, language: conversation.language ?? 'nl', signals: [], reply: undefined };
  }
  const turn = await prepareTurn(trx, deps, municipality, resident);
  return stepMessage(trx, turn, conversation, { id: message.id, receivedAt: message.created_at }, content, content.kind === 'text' && content.text.length > maxStoredText);
}

/**
 * The resident's open conversation, locked until the transaction ends (two turns of one resident take turns), or a
 * new one: a row this transaction inserted is as good as locked (a concurrent insert waits on the unique index).
 */
async function openLockedConversation(trx: Transaction<Database>, resident: Resident): Promise<Conversation> {
  const open = await trx.selectFrom('conversations').selectAll().where('resident_id', '=', resident.id).where('closed_at', 'is', null).forUpdate().executeTakeFirst();
  if (open) return open;
  const created = await trx
    .insertInto('conversations')
    .values({ id: randomUUID(), resident_id: resident.id, municipality_code: resident.municipality_code, channel: resident.channel, state: 'start', context: '{}', language: resident.language, updated_at: new Date() })
    .onConflict((oc) => oc.column('resident_id').where('closed_at', 'is', null).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (created) return created;
  // Opened by another turn between our look and our insert (it waited for that one to commit): theirs, locked.
  const theirs = await trx.selectFrom('conversations').selectAll().where('resident_id', '=', resident.id).where('closed_at', 'is', null).forUpdate().executeTakeFirst();
  if (!theirs) throw new Error(`conversation of resident ${resident.id} was opened and closed at once; the job is retried`);
  return theirs;
}

/** The municipality as a turn needs it. */
type TurnMunicipality = Pick<Municipality, 'code' | 'name' | 'settings'>;

/** What a turn needs besides the message: loaded once per turn, read fresh so a changed text is used at once. */
interface TurnContext {
  municipality: TurnMunicipality;
  resident: Resident;
  channel: Channel;
  texts: ReturnType<typeof textsFor>;
  wijken: { code: string; name: string }[];
  privacyUrl: string;
}

async function prepareTurn(trx: Transaction<Database>, deps: ConversationDeps, municipality: TurnMunicipality, resident: Resident): Promise<TurnContext> {
  const settings = municipality.settings;
  return {
    municipality,
    resident,
    channel: resident.channel,
    texts: textsFor(settings),
    wijken: await cachedWijken(deps.db, municipality.code, trx),
    privacyUrl: typeof settings.privacyUrl === 'string' ? settings.privacyUrl : `${deps.publicUrl ?? ''}/privacy?gemeente=${municipality.code}`,
  };
}

async function turnInTransaction(trx: Transaction<Database>, deps: ConversationDeps, messageId: string): Promise<HandledMessage[]> {
  // The message, its resident and their municipality (fresh: a text changed a moment ago is used now), at once.
  const row = await trx
    .selectFrom('messages')
    .innerJoin('residents', 'residents.id', 'messages.resident_id')
    .innerJoin('municipalities', 'municipalities.code', 'residents.municipality_code')
    .selectAll('residents')
    .select(['municipalities.name as municipality_name', 'municipalities.settings as municipality_settings'])
    .where('messages.id', '=', messageId)
    .where('messages.direction', '=', 'in')
    .where('messages.conversation_id', 'is', null)
    .executeTakeFirst();
  // Erased since, or its turn already ran: nothing to do.
  if (!row) return [];
  const { municipality_name, municipality_settings, ...resident } = row;
  const municipality = { code: resident.municipality_code, name: municipality_name, settings: municipality_settings };
  let conversation = await openLockedConversation(trx, resident);
  // Read after the lock: a turn that ran meanwhile has taken its messages.
  const waiting = await pendingMessages(trx, resident.id);
  if (waiting.length === 0) return [];
  const turn = await prepareTurn(trx, deps, municipality, resident);
  const handled: HandledMessage[] = [];
  for (const [i, message] of waiting.entries()) {
    // Gone with an erasure earlier in this turn, or taken: skip.
    const taken = await trx.updateTable('messages').set({ conversation_id: conversation.id }).where('id', '=', message.id).where('conversation_id', 'is', null).returning('id').executeTakeFirst();
    if (!taken) continue;
    const result = await stepMessage(trx, turn, conversation, message, message.content, message.truncated);
    handled.push(result);
    // The next message continues from the state just saved (re-read; an erasure may have opened a new conversation).
    if (i < waiting.length - 1) conversation = await lockConversation(trx, result.conversationId);
  }
  return handled;
}

/** Runs one stored inbound message through the conversation core, applies its effects and stores the reply. */
async function stepMessage(
  trx: Transaction<Database>,
  turn: TurnContext,
  locked: Conversation,
  message: { id: string; receivedAt: Date },
  content: InboundContent,
  truncated: boolean,
): Promise<HandledMessage> {
  const messageId = message.id;
  const { municipality, resident, texts } = turn;
  let conversation = locked;
  const loaded = restore(conversation.state, conversation.context);
  if (conversation.state === 'start' && resident.language === 'en') loaded.context.language = 'en';
  // Back after a pause (halfway through the questions last week): listen again instead of repeating an old question.
  const restored = Date.now() - conversation.updated_at.getTime() > pauseMs ? resumeAfterPause(loaded.state, loaded.context) : loaded;
  const input: ConversationInput =
    content.kind === 'text'
      ? { kind: 'text', messageId, text: content.text.slice(0, maxStoredText) }
      : content.kind === 'choice'
        ? { kind: 'choice', messageId, id: content.id, title: content.title }
        : { kind: 'unsupported', messageId, what: content.what };
  // A flash poll this message may answer (issue 6): the one its reply button names, else one still waiting.
  const chosen = content.kind === 'choice' ? parsePollChoice(content.id) : undefined;
  const poll = await awaitingPoll(trx, resident.id, chosen ? { pollId: chosen.pollId, questionIndex: parseQuestionOptionId(chosen.optionId).questionIndex } : undefined);
  const result = step(restored.state, restored.context, input, {
    texts,
    municipalityName: municipality.name,
    privacyUrl: turn.privacyUrl,
    wijken: turn.wijken,
    detectCrisis,
    poll,
  });
  const at = { municipalityCode: municipality.code, channel: turn.channel };

  const signals: HandledMessage['signals'] = [];
  let erased = false;
  for (const effect of result.effects) {
    const applied = await applyEffect(trx, effect, { ...at, residentId: resident.id, conversationId: conversation.id, language: result.context.language });
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
  if (combined && !critical && (await flooding(trx, resident.id, message.receivedAt))) {
    combined = (await slowDownSent(trx, resident.id)) ? undefined : { text: texts[result.context.language].slowDown, choices: [], kind: 'slow-down' };
  }
  let reply: HandledMessage['reply'];
  if (combined) {
    const payload: MessagePayload = combined.choices.length > 0 ? { choices: combined.choices } : {};
    const stored = await storeReply(trx, {
      conversationId: conversation.id,
      residentId: resident.id,
      municipalityCode: municipality.code,
      channel: turn.channel,
      kind: erased ? 'erasure' : (combined.kind ?? 'text'),
      text: combined.text,
      payload,
      // The web chat shows a reply as soon as it is stored; WhatsApp replies wait for the send job.
      status: turn.channel === 'web' ? 'sent' : 'queued',
    });
    reply = { id: stored.id, text: combined.text, choices: combined.choices };
  }
  return { duplicate: false, residentId: resident.id, conversationId: conversation.id, state: result.state, language: context.language, signals, reply };
}

async function applyEffect(
  trx: Transaction<Database>,
  effect: Effect,
  at: { municipalityCode: string; channel: Channel; residentId: string; conversationId: string; language: string },
): Promise<{ id: string; reference: string; urgent: boolean } | 'erased' | undefined> {
  switch (effect.type) {
    case 'give-consent':
      await recordConsent(trx, at.residentId);
      return undefined;
    case 'store-signal': {
      const signal = await storeSignalFromMessages(trx, {
        municipalityCode: at.municipalityCode,
        channel: at.channel,
        residentId: at.residentId,
        conversationId: at.conversationId,
        messageIds: effect.messageIds,
        urgent: effect.urgent,
        languageHint: at.language,
      });
      if (signal && effect.pollId !== undefined) await recordPollAnswer(trx, { pollId: effect.pollId, residentId: at.residentId, questionIndex: effect.questionIndex ?? 0, optionId: null, signalId: signal.id });
      if (signal && effect.urgent) {
        await appendAudit(trx, { actor_kind: 'system', actor_id: null, action: 'signal.flagged-urgent', municipality_code: at.municipalityCode, subject_type: 'signal', subject_id: signal.id, details: { crisis: effect.crisis } });
      }
      return signal ? { id: signal.id, reference: signal.reference, urgent: signal.urgent } : undefined;
    }
    case 'set-profile': {
      const { placeAnswer, ...profile } = effect.profile;
      await updateResidentProfile(trx, at.residentId, profile);
      if (placeAnswer !== undefined) await setPlaceAnswer(trx, at.conversationId, placeAnswer);
      return undefined;
    }
    case 'answer-poll':
      await recordPollAnswer(trx, { pollId: effect.pollId, residentId: at.residentId, questionIndex: effect.questionIndex, optionId: effect.optionId, signalId: null, settle: effect.settle });
      return undefined;
    case 'settle-poll':
      await settlePollDelivery(trx, effect.pollId, at.residentId);
      return undefined;
    case 'erase-resident': {
      const counts = await eraseResident(trx, at.residentId, { keepContact: true });
      await appendAudit(trx, { actor_kind: 'resident', actor_id: at.residentId, action: 'resident.erased', municipality_code: at.municipalityCode, subject_type: 'resident', subject_id: at.residentId, details: { ...counts } });
      return 'erased';
    }
  }
}

/** More than this many messages from one resident within floodWindowMs is a flood. */
export const floodLimit = 15;
export const floodWindowMs = 10_000;

/** Counted up to the message itself: a turn that runs late must not count the messages that came after it. */
async function flooding(trx: Transaction<Database>, residentId: string, receivedAt: Date): Promise<boolean> {
  const since = new Date(receivedAt.getTime() - floodWindowMs);
  const row = await trx
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('resident_id', '=', residentId)
    .where('direction', '=', 'in')
    .where('created_at', '>', since)
    .where('created_at', '<=', receivedAt)
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
