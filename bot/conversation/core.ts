/**
 * The conversation core: a pure state machine, no I/O. Given the stored state and context, one input from the
 * resident and the municipality's texts and wijken, `step` says what to answer and which effects to apply. The
 * conversation service loads and stores the state and applies the effects in one transaction, so any process can
 * continue any conversation (ADR 0001).
 *
 * Replies may contain `{reference}`: the reference code of the signal stored by this very step, which only the
 * service knows once it has stored it.
 */
import type { AgeBand, ResidentRole } from '../../db/database.ts';
import type { CrisisKind, DetectCrisis } from '../../pipeline/steps/urgency.ts';
import { optionFromText, parsePollChoice, parseQuestionOptionId, pollChoiceId, pollQuestionText, questionOptionId } from '../../pipeline/loop/poll.ts';
import { ageFromText, answerOf, commands, doneWords, isContentless, isVeryShort, normalise, roleFromText, wordCount, type Answer, type Command } from './recognise.ts';
import { fill, type Language, type TextKey, type Texts } from './texts.ts';

export const conversationStates = [
  'start',
  'consent',
  'listening',
  'adding',
  'ask-wijk',
  'ask-age',
  'ask-role',
  'ask-feedback',
  'ask-invite',
  'confirm-erase',
  'stopped',
] as const;
export type ConversationState = (typeof conversationStates)[number];

export const ageBands = ['0_15', '15_25', '25_45', '45_65', '65_plus'] as const satisfies readonly AgeBand[];
export const residentRoles = ['client', 'carer', 'resident'] as const satisfies readonly ResidentRole[];

/** Stored as conversations.context (jsonb). Message ids only, never message text. */
export interface ConversationContext {
  language: Language;
  consented: boolean;
  /** The profile questions were answered (or skipped) once: a returning resident is not asked again. */
  profileDone: boolean;
  /** Messages of a story not yet stored as a signal: a very short first message, or one sent before consent. */
  pending: string[];
  /** The reference of the experience being told now; null until its first signal is stored. */
  reference: string | null;
  /** What the resident answered this time, for the summary. */
  answers: { wijk?: string; ageBand?: AgeBand; role?: ResidentRole; wantsFeedback?: boolean; mayInvite?: boolean };
  /** Where a declined erasure returns to. */
  resume?: ConversationState;
}

export type UnsupportedKind = 'voice' | 'audio' | 'image' | 'video' | 'document' | 'sticker' | 'location' | 'contacts' | 'reaction' | 'other';

export type ConversationInput =
  | { kind: 'text'; messageId: string; text: string }
  | { kind: 'choice'; messageId: string; id: string; title: string }
  | { kind: 'unsupported'; messageId: string; what: UnsupportedKind };

export interface Choice {
  id: string;
  title: string;
  /** Kept when a channel has to shorten a long list (WhatsApp lists hold 10 rows). */
  essential?: boolean;
}

export interface Reply {
  text: string;
  choices?: Choice[];
}

export interface ProfileUpdate {
  wijkCode?: string;
  /** A place typed by the resident that is not a wijk name: kept as typed on the signals, for the pipeline to place. */
  placeAnswer?: string;
  ageBand?: AgeBand;
  role?: ResidentRole;
  wantsFeedback?: boolean;
  mayInvite?: boolean;
  language?: Language;
}

export type Effect =
  | { type: 'give-consent' }
  /**
   * Store the messages as one signal of the current experience; urgent when it describes a crisis. With `pollId`: an
   * open answer to that flash poll, stored as a signal (it goes through the pipeline) and linked to the poll.
   */
  | { type: 'store-signal'; messageIds: string[]; urgent: boolean; crisis: CrisisKind | null; pollId?: string; questionIndex?: number }
  /**
   * The resident chose an option of a flash poll's question (a later answer replaces an earlier one); `settle` with
   * the last question's answer, so until then their next message answers the next question.
   */
  | { type: 'answer-poll'; pollId: string; questionIndex: number; optionId: string; settle: boolean }
  /** The resident answered a closed poll and was told so: their next messages are not taken as answers. */
  | { type: 'settle-poll'; pollId: string }
  | { type: 'set-profile'; profile: ProfileUpdate }
  /** Erase the resident's messages, signals and answers. */
  | { type: 'erase-resident' };

export interface ConversationEnv {
  texts: Record<Language, Texts>;
  municipalityName: string;
  privacyUrl: string;
  wijken: readonly { code: string; name: string }[];
  detectCrisis: DetectCrisis;
  /**
   * Awaiting a poll answer: the flash poll this message may answer, looked up by the service (the poll a reply
   * button names, else the latest one sent to the resident and not answered yet). Absent: no poll is waiting.
   */
  poll?: AwaitingPoll | undefined;
}

export interface AwaitingPoll {
  id: string;
  /** The question this message may answer (0 to 2); `next` is the one after it, asked in the reply. */
  questionIndex: number;
  kind: 'choice' | 'open';
  options: readonly { id: string; title: string }[];
  next?: { question: string; kind: 'choice' | 'open'; options: readonly { id: string; title: string }[] } | undefined;
  /** Closed polls take no answers: the resident is told, and the message is handled as any other. */
  open: boolean;
}

/** The poll replies: short, and the same for every municipality (not in the editable texts). */
const pollTexts: Record<Language, { thanks: string; closed: string }> = {
  nl: { thanks: 'Dank je wel voor je antwoord! Je kunt je keuze nog veranderen zolang de peiling loopt.', closed: 'Deze peiling is gesloten, je antwoord telt niet meer mee. Dank je wel dat je wilde meedoen.' },
  en: { thanks: 'Thank you for your answer! You can still change your choice while the poll is open.', closed: 'This poll is closed, so your answer no longer counts. Thank you for wanting to take part.' },
};

export interface StepResult {
  state: ConversationState;
  context: ConversationContext;
  replies: Reply[];
  effects: Effect[];
}

export function initialContext(language: Language = 'nl'): ConversationContext {
  return { language, consented: false, profileDone: false, pending: [], reference: null, answers: {} };
}

/** Reads a stored state and context defensively: a row written by an older version never crashes the bot. */
export function restore(state: string, context: Record<string, unknown>): { state: ConversationState; context: ConversationContext } {
  const base = initialContext();
  const c = context as Partial<ConversationContext>;
  return {
    state: (conversationStates as readonly string[]).includes(state) ? (state as ConversationState) : 'start',
    context: {
      language: c.language === 'en' ? 'en' : base.language,
      consented: c.consented === true,
      profileDone: c.profileDone === true,
      pending: Array.isArray(c.pending) ? c.pending.filter((p): p is string => typeof p === 'string') : [],
      reference: typeof c.reference === 'string' ? c.reference : null,
      answers: isRecord(c.answers) ? c.answers : {},
      ...(typeof c.resume === 'string' && (conversationStates as readonly string[]).includes(c.resume) ? { resume: c.resume } : {}),
    },
  };
}

function isRecord(value: unknown): value is Record<string, never> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- The machine ----

export function step(state: ConversationState, context: ConversationContext, input: ConversationInput, env: ConversationEnv): StepResult {
  const tx = env.texts[context.language];
  const text = input.kind === 'text' ? input.text : input.kind === 'choice' ? input.title : '';
  const command = input.kind === 'text' ? commands.get(normalise(input.text)) : input.kind === 'choice' ? commands.get(input.id) : undefined;

  if (command !== undefined) return runCommand(command, state, context, env);

  if (input.kind === 'unsupported') {
    const refusal = fill(tx.unsupported, { what: tx[`what_${input.what}`] });
    return { state, context, replies: [{ text: refusal, ...promptChoices(state, context, env) }], effects: [] };
  }

  const result = handle(state, context, input, env);
  const crisis = input.kind === 'text' ? env.detectCrisis(text) : { urgent: false, kind: null };
  if (!crisis.urgent || crisis.kind === null) return result;

  // Safety first: the help numbers open the same reply, and the message is stored as an urgent signal whatever the
  // state, even before consent (vital interest): a person must see it.
  const tc = env.texts[result.context.language];
  const stored = result.effects.find((e): e is Extract<Effect, { type: 'store-signal' }> => e.type === 'store-signal' && e.messageIds.includes(input.messageId));
  const effects: Effect[] = stored
    ? result.effects.map((e) => (e === stored ? { ...stored, urgent: true, crisis: crisis.kind } : e))
    : [...result.effects, { type: 'store-signal', messageIds: [input.messageId], urgent: true, crisis: crisis.kind }];
  const context2 = stored ? result.context : { ...result.context, pending: result.context.pending.filter((id) => id !== input.messageId) };
  return {
    ...result,
    context: context2,
    effects,
    replies: [{ text: `${tc[`crisis_${crisis.kind}`]} ${tc.crisisFlagged}` }, ...result.replies],
  };
}

function handle(state: ConversationState, context: ConversationContext, input: Exclude<ConversationInput, { kind: 'unsupported' }>, env: ConversationEnv): StepResult {
  const poll = env.poll;
  const pollEffect = poll ? pollAnswer(poll, input) : undefined;
  if (poll && pollEffect) {
    const texts = pollTexts[context.language];
    // An answer leaves the conversation where it was: a poll may arrive halfway through telling a story.
    if (poll.open) return { state, context, replies: [poll.next ? nextQuestion(poll, poll.next, context.language) : { text: texts.thanks }], effects: [pollEffect] };
    const rest = handleMessage(state, context, input, env);
    return { ...rest, replies: [{ text: texts.closed }, ...rest.replies], effects: [{ type: 'settle-poll', pollId: poll.id }, ...rest.effects] };
  }
  return handleMessage(state, context, input, env);
}

/** The poll's next question, sent as the reply to an answer: with its options as buttons (quick replies on the web). */
function nextQuestion(poll: AwaitingPoll, next: NonNullable<AwaitingPoll['next']>, language: Language): Reply {
  const index = poll.questionIndex + 1;
  const choices = next.options.map((o) => ({ id: pollChoiceId(poll.id, questionOptionId(index, o.id)), title: o.title }));
  return { text: pollQuestionText(next, language), ...(choices.length > 0 ? { choices } : {}) };
}

/** Whether this message answers the awaiting poll question: a reply button of it, a typed option, or the open answer. */
function pollAnswer(poll: AwaitingPoll, input: Exclude<ConversationInput, { kind: 'unsupported' }>): Effect | undefined {
  const answer = { type: 'answer-poll', pollId: poll.id, questionIndex: poll.questionIndex, settle: poll.next === undefined } as const;
  if (input.kind === 'choice') {
    const chosen = parsePollChoice(input.id);
    if (chosen?.pollId !== poll.id) return undefined;
    const { questionIndex, optionId } = parseQuestionOptionId(chosen.optionId);
    if (questionIndex !== poll.questionIndex || !poll.options.some((o) => o.id === optionId)) return undefined;
    return { ...answer, optionId };
  }
  if (poll.kind === 'choice') {
    // Outside WhatsApp's 24-hour window the poll comes as a template without buttons: the resident types the option.
    const typed = optionFromText(poll.options, input.text);
    return typed ? { ...answer, optionId: typed.id } : undefined;
  }
  if (isContentless(input.text)) return undefined;
  // Only the last question may be open, so its answer settles the poll for this resident.
  return { type: 'store-signal', messageIds: [input.messageId], urgent: false, crisis: null, pollId: poll.id, questionIndex: poll.questionIndex };
}

function handleMessage(state: ConversationState, context: ConversationContext, input: Exclude<ConversationInput, { kind: 'unsupported' }>, env: ConversationEnv): StepResult {
  const answer = answerOf(input);
  const matched = profileAnswer(state, answer, context, env);
  if (matched) return matched;
  // A longer text while a profile question waits is more of the story, not a failed answer: keep it, ask again.
  if (isProfileQuestion(state) && input.kind === 'text' && wordCount(input.text) >= storyWords) {
    const asked = prompt(state, context, env);
    return { state, context, replies: [{ text: `${t(env, context, 'addedToStory')} ${asked.text}`, ...(asked.choices ? { choices: asked.choices } : {}) }], effects: [storeSignal([input.messageId])] };
  }
  switch (state) {
    case 'start':
    case 'stopped': {
      if (state === 'stopped' && context.consented) return listen({ ...context, reference: null, answers: {} }, input, env);
      const pending = input.kind === 'text' && !isContentless(input.text) ? [input.messageId] : [];
      return welcome({ ...context, pending }, env);
    }
    case 'consent': {
      if (answer?.kind === 'yes') {
        const consented = { ...context, consented: true };
        if (consented.pending.length > 0) return storyStored(consented, consented.pending, env, [{ type: 'give-consent' }]);
        return { state: 'listening', context: consented, replies: [{ text: t(env, consented, 'askStory') }], effects: [{ type: 'give-consent' }] };
      }
      if (answer?.kind === 'no') {
        return { state: 'stopped', context: { ...context, pending: [] }, replies: [{ text: t(env, context, 'consentDeclined') }], effects: [] };
      }
      // More story before answering: keep it with the rest, and ask again.
      const pending = input.kind === 'text' && !isContentless(input.text) ? [...context.pending, input.messageId] : context.pending;
      return { state, context: { ...context, pending }, replies: [prompt('consent', context, env)], effects: [] };
    }
    case 'listening':
      return listen(context, input, env);
    case 'adding': {
      if (input.kind === 'choice' ? input.id === 'done' : answer?.kind === 'text' ? doneWords.has(normalise(answer.text)) : answer?.kind === 'no') {
        return afterStory(context, env);
      }
      if (input.kind === 'text' && !isContentless(input.text)) {
        return { state, context, replies: [{ text: t(env, context, 'addedThanks'), choices: [doneChoice(env, context)] }], effects: [storeSignal([input.messageId])] };
      }
      return { state, context, replies: [prompt(state, context, env)], effects: [] };
    }
    case 'ask-wijk':
    case 'ask-age':
    case 'ask-role':
    case 'ask-feedback':
    case 'ask-invite':
      if (state === 'ask-wijk' && answer?.kind === 'text' && !isContentless(answer.text)) {
        // Not a wijk name: a street, postcode or local name, kept as typed for the pipeline to place.
        const place = answer.text.trim().slice(0, 200);
        return next('ask-age', withAnswer(context, { wijk: place }), env, { placeAnswer: place });
      }
      return notUnderstood(state, context, env);
    case 'confirm-erase': {
      const back = context.resume ?? 'listening';
      const rest = { ...context };
      delete rest.resume;
      if (answer?.kind === 'yes' || (input.kind === 'choice' && input.id === 'erase-yes')) {
        const fresh = initialContext(context.language);
        return { state: 'start', context: fresh, replies: [{ text: t(env, fresh, 'erased') }], effects: [{ type: 'erase-resident' }] };
      }
      if (answer?.kind === 'no' || (input.kind === 'choice' && input.id === 'erase-no')) {
        return { state: back, context: rest, replies: [{ text: t(env, rest, 'eraseCancelled') }, prompt(back, rest, env)], effects: [] };
      }
      return notUnderstood(state, context, env);
    }
  }
}

const profileQuestions = ['ask-wijk', 'ask-age', 'ask-role', 'ask-feedback', 'ask-invite'] as const;
type ProfileQuestion = (typeof profileQuestions)[number];

function isProfileQuestion(state: ConversationState): state is ProfileQuestion {
  return (profileQuestions as readonly string[]).includes(state);
}

/** Words from which a text is taken as (more of) the story rather than as an answer. */
const storyWords = 8;

/** A recognised answer to the profile question of this state; undefined when the answer was not recognised. */
function profileAnswer(state: ConversationState, answer: Answer | undefined, context: ConversationContext, env: ConversationEnv): StepResult | undefined {
  if (!isProfileQuestion(state) || answer === undefined) return undefined;
  switch (state) {
    case 'ask-wijk': {
      if (answer.kind === 'skip') return next('ask-age', context, env);
      const wijk =
        answer.kind === 'id' ? env.wijken.find((w) => `wijk:${w.code}` === answer.id) : answer.kind === 'text' ? env.wijken.find((w) => normalise(w.name) === normalise(answer.text)) : undefined;
      return wijk ? next('ask-age', withAnswer(context, { wijk: wijk.name }), env, { wijkCode: wijk.code }) : undefined;
    }
    case 'ask-age': {
      if (answer.kind === 'skip') return next('ask-role', context, env);
      const band = answer.kind === 'id' ? ageBands.find((b) => answer.id === `age:${b}`) : answer.kind === 'text' && wordCount(answer.text) < storyWords ? ageFromText(answer.text) : undefined;
      return band ? next('ask-role', withAnswer(context, { ageBand: band }), env, { ageBand: band }) : undefined;
    }
    case 'ask-role': {
      if (answer.kind === 'skip') return next('ask-feedback', context, env);
      const role = answer.kind === 'id' ? residentRoles.find((r) => answer.id === `role:${r}`) : answer.kind === 'text' && wordCount(answer.text) < storyWords ? roleFromText(answer.text) : undefined;
      return role ? next('ask-feedback', withAnswer(context, { role }), env, { role }) : undefined;
    }
    case 'ask-feedback':
      if (answer.kind === 'skip') return next('ask-invite', context, env);
      if (answer.kind !== 'yes' && answer.kind !== 'no') return undefined;
      return next('ask-invite', withAnswer(context, { wantsFeedback: answer.kind === 'yes' }), env, { wantsFeedback: answer.kind === 'yes' });
    case 'ask-invite': {
      if (answer.kind === 'skip') return { ...summary(context, env), effects: [] };
      if (answer.kind !== 'yes' && answer.kind !== 'no') return undefined;
      const mayInvite = answer.kind === 'yes';
      return { ...summary(withAnswer(context, { mayInvite }), env), effects: [{ type: 'set-profile', profile: { mayInvite } }] };
    }
  }
}

/**
 * A resident who comes back after a pause (days later, halfway through the questions) is not met with an old
 * question: the conversation listens again, keeping consent, language and whether the profile was answered.
 */
export const pauseMs = 12 * 3600 * 1000;

export function resumeAfterPause(state: ConversationState, context: ConversationContext): { state: ConversationState; context: ConversationContext } {
  if (state === 'start' || state === 'consent' || state === 'listening' || state === 'stopped') return { state, context };
  const rest = { ...context, pending: [], reference: null, answers: {} };
  delete rest.resume;
  return { state: context.consented ? 'listening' : 'start', context: rest };
}

function runCommand(command: Command, state: ConversationState, context: ConversationContext, env: ConversationEnv): StepResult {
  switch (command) {
    case 'help':
      return { state, context, replies: [{ text: t(env, context, 'help') }, prompt(state, context, env)], effects: [] };
    case 'stop':
      return { state: 'stopped', context: { ...context, pending: [] }, replies: [{ text: t(env, context, 'stopped') }], effects: [] };
    case 'restart': {
      const fresh = { ...context, pending: [], reference: null, answers: {} };
      if (!context.consented) return welcome(fresh, env);
      return { state: 'listening', context: fresh, replies: [{ text: `${t(env, fresh, 'restarted')} ${t(env, fresh, 'askStory')}` }], effects: [] };
    }
    case 'english':
    case 'dutch': {
      const language: Language = command === 'english' ? 'en' : 'nl';
      const switched = { ...context, language };
      const effects: Effect[] = context.consented ? [{ type: 'set-profile', profile: { language } }] : [];
      return { state, context: switched, replies: [{ text: t(env, switched, 'languageSwitched') }, prompt(state, switched, env)], effects };
    }
    case 'erase':
      if (state === 'confirm-erase') return { state, context, replies: [prompt(state, context, env)], effects: [] };
      return { state: 'confirm-erase', context: { ...context, resume: state }, replies: [prompt('confirm-erase', context, env)], effects: [] };
  }
}

/** Listening to the experience: a very short first message gets a gentle follow-up; a story is stored. */
function listen(context: ConversationContext, input: Exclude<ConversationInput, { kind: 'unsupported' }>, env: ConversationEnv): StepResult {
  if (input.kind !== 'text' || isContentless(input.text)) {
    return { state: 'listening', context, replies: [{ text: t(env, context, 'askStory') }], effects: [] };
  }
  if (context.pending.length === 0 && isVeryShort(input.text)) {
    return { state: 'listening', context: { ...context, pending: [input.messageId] }, replies: [{ text: t(env, context, 'followUp') }], effects: [] };
  }
  return storyStored(context, [...context.pending, input.messageId], env, []);
}

function storyStored(context: ConversationContext, messageIds: string[], env: ConversationEnv, before: Effect[]): StepResult {
  const next = { ...context, pending: [] };
  return {
    state: 'adding',
    context: next,
    replies: [{ text: t(env, next, 'storyThanks'), choices: [doneChoice(env, next)] }],
    effects: [...before, storeSignal(messageIds)],
  };
}

/** The story is told: ask the profile questions once, or confirm at once for a returning resident. */
function afterStory(context: ConversationContext, env: ConversationEnv): StepResult {
  if (context.profileDone) {
    const next = { ...context, reference: null, answers: {} };
    const reference = context.reference ?? '{reference}';
    return { state: 'listening', context: next, replies: [{ text: `${fill(t(env, context, 'returningThanks'), { reference })} ${t(env, context, 'anythingElse')}` }], effects: [] };
  }
  const asked = prompt('ask-wijk', context, env);
  return { state: 'ask-wijk', context, replies: [{ text: `${t(env, context, 'profileIntro')} ${asked.text}`, ...(asked.choices ? { choices: asked.choices } : {}) }], effects: [] };
}

function next(to: ConversationState, context: ConversationContext, env: ConversationEnv, profile?: ProfileUpdate): StepResult {
  return { state: to, context, replies: [prompt(to, context, env)], effects: profile ? [{ type: 'set-profile', profile }] : [] };
}

function summary(context: ConversationContext, env: ConversationEnv): Omit<StepResult, 'effects'> {
  const tx = env.texts[context.language];
  const a = context.answers;
  const lines = [tx.summaryStory];
  if (a.wijk !== undefined) lines.push(fill(tx.summaryWijk, { value: a.wijk }));
  if (a.ageBand !== undefined) lines.push(fill(tx.summaryAge, { value: tx[`age_${a.ageBand}`] }));
  if (a.role !== undefined) lines.push(fill(tx.summaryRole, { value: tx[`role_${a.role}`] }));
  if (a.wantsFeedback === true) lines.push(tx.summaryFeedback);
  if (a.mayInvite === true) lines.push(tx.summaryInvite);
  const text = fill(tx.summary, { lines: lines.join('\n'), reference: context.reference ?? '{reference}' });
  return { state: 'listening', context: { ...context, profileDone: true, reference: null, answers: {} }, replies: [{ text: `${text}\n${tx.anythingElse}` }] };
}

function welcome(context: ConversationContext, env: ConversationEnv): StepResult {
  const tx = env.texts[context.language];
  const intro = `${fill(tx.welcome, { municipality: env.municipalityName })}\n\n${fill(tx.privacy, { privacyUrl: env.privacyUrl })}`;
  const question = prompt('consent', context, env);
  return { state: 'consent', context, replies: [{ text: `${intro}\n\n${question.text}`, ...(question.choices ? { choices: question.choices } : {}) }], effects: [] };
}

function notUnderstood(state: ConversationState, context: ConversationContext, env: ConversationEnv): StepResult {
  const asked = prompt(state, context, env);
  return { state, context, replies: [{ text: `${t(env, context, 'notUnderstood')} ${asked.text}`, ...(asked.choices ? { choices: asked.choices } : {}) }], effects: [] };
}

/** The question a state asks, with its quick replies. */
export function prompt(state: ConversationState, context: ConversationContext, env: ConversationEnv): Reply {
  const tx = env.texts[context.language];
  const skip: Choice = { id: 'skip', title: tx.skip, essential: true };
  const yesNo = (yes: TextKey, no: TextKey): Choice[] => [
    { id: 'yes', title: tx[yes] },
    { id: 'no', title: tx[no] },
  ];
  switch (state) {
    case 'start':
    case 'consent':
      return { text: tx.consentQuestion, choices: yesNo('consentYes', 'consentNo') };
    case 'listening':
    case 'stopped':
      return { text: tx.askStory };
    case 'adding':
      return { text: fill(tx.storyThanks, { reference: context.reference ?? '{reference}' }), choices: [doneChoice(env, context)] };
    case 'ask-wijk':
      return { text: tx.askWijk, choices: [...env.wijken.map((w) => ({ id: `wijk:${w.code}`, title: w.name })), skip] };
    case 'ask-age':
      return { text: tx.askAge, choices: [...ageBands.map((b) => ({ id: `age:${b}`, title: tx[`age_${b}`] })), skip] };
    case 'ask-role':
      return { text: tx.askRole, choices: [...residentRoles.map((r) => ({ id: `role:${r}`, title: tx[`role_${r}`] })), skip] };
    case 'ask-feedback':
      return { text: tx.askFeedback, choices: [...yesNo('yes', 'no'), skip] };
    case 'ask-invite':
      return { text: tx.askInvite, choices: [...yesNo('yes', 'no'), skip] };
    case 'confirm-erase':
      return {
        text: tx.eraseConfirm,
        choices: [
          { id: 'erase-yes', title: tx.eraseYes },
          { id: 'erase-no', title: tx.eraseNo },
        ],
      };
  }
}

function promptChoices(state: ConversationState, context: ConversationContext, env: ConversationEnv): { choices?: Choice[] } {
  const choices = prompt(state, context, env).choices;
  return choices ? { choices } : {};
}

function doneChoice(env: ConversationEnv, context: ConversationContext): Choice {
  return { id: 'done', title: t(env, context, 'done') };
}

function storeSignal(messageIds: string[]): Effect {
  return { type: 'store-signal', messageIds, urgent: false, crisis: null };
}

function withAnswer(context: ConversationContext, answers: ConversationContext['answers']): ConversationContext {
  return { ...context, answers: { ...context.answers, ...answers } };
}

function t(env: ConversationEnv, context: ConversationContext, key: TextKey): string {
  return env.texts[context.language][key];
}
