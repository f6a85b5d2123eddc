/**
 * Flash polls (issue 6), the rules without I/O: what a valid poll is, who is in its audience, who can be reached
 * (WhatsApp's 24-hour window and the template registry), the text residents get, the reply button ids, and which
 * figures may be shown. The repository (db/repositories/polls.ts) and the fan-out job (pipeline/workers/poll.ts)
 * apply them.
 */
import type { AgeBand, PollAudience, PollKind, PollOption, PollQuestion, ResidentRole } from '../../db/database.ts';
import { planDelivery, type FeedbackCandidate, type FeedbackPlan } from './audience.ts';

const ageBands: readonly AgeBand[] = ['0_15', '15_25', '25_45', '45_65', '65_plus'];
const residentRoles: readonly ResidentRole[] = ['client', 'carer', 'resident'];

export const pollLimits = { question: 500, optionTitle: 20, minOptions: 2, maxOptions: 3, maxQuestions: 3 } as const;

/**
 * The smallest audience a poll may go to. Fewer residents could be singled out by their answers (the dashboard's
 * small-group rule, dashboards/suppression.ts), so a smaller audience is refused, not only hidden.
 */
export const minPollAudience = 5;

/** The template purpose in the municipality's registry (settings.whatsappTemplates) used outside the 24-hour window. */
export const pollTemplatePurpose = 'poll';

export interface PollQuestionDraft {
  question: string;
  kind: PollKind;
  /** The answer options as typed; empty ones are ignored. Ignored for an open question. */
  options: readonly string[];
}

/** A poll as written: its first question, up to two more (`more`), and who gets it. */
export interface PollDraft extends PollQuestionDraft {
  more?: readonly PollQuestionDraft[];
  audience: PollAudience;
}

export type PollProblem = 'question' | 'options' | 'option-length' | 'option-duplicate' | 'open-not-last' | 'audience';

/**
 * What is wrong with a draft, per form field ('question', 'options', 'kind' for the first question; 'question2',
 * 'options3', ... for the later ones; 'audience'); empty when it may be stored. Only the last question may be open:
 * an open answer ends the poll (it becomes a signal), and the next question would have to wait for the pipeline.
 */
export function pollProblems(draft: PollDraft, wijkCodes: readonly string[]): Map<string, PollProblem> {
  const problems = new Map<string, PollProblem>();
  const questions = [draft, ...(draft.more ?? [])].slice(0, pollLimits.maxQuestions);
  questions.forEach((q, i) => {
    const field = (name: string) => (i === 0 ? name : `${name}${i + 1}`);
    const question = q.question.trim();
    if (question.length === 0 || question.length > pollLimits.question) problems.set(field('question'), 'question');
    if (q.kind === 'open' && i < questions.length - 1) problems.set(field('kind'), 'open-not-last');
    if (q.kind === 'choice') {
      const titles = q.options.map((o) => o.trim()).filter((o) => o !== '');
      if (titles.length < pollLimits.minOptions || titles.length > pollLimits.maxOptions) problems.set(field('options'), 'options');
      else if (titles.some((t) => t.length > pollLimits.optionTitle)) problems.set(field('options'), 'option-length');
      else if (new Set(titles.map(normaliseAnswer)).size !== titles.length) problems.set(field('options'), 'option-duplicate');
    }
  });
  const a = draft.audience;
  const known = <T extends string>(values: readonly T[] | undefined, allowed: readonly T[]) => (values ?? []).every((v) => allowed.includes(v));
  if (!known(a.wijken, wijkCodes) || !known(a.ageBands, ageBands) || !known(a.roles, residentRoles)) problems.set('audience', 'audience');
  return problems;
}

/** The options as stored: ids a, b, c in the order typed. */
export function pollOptions(draft: PollQuestionDraft): PollOption[] {
  if (draft.kind === 'open') return [];
  return draft.options
    .map((o) => o.trim())
    .filter((o) => o !== '')
    .map((title, i) => ({ id: 'abc'[i] ?? String(i), title }));
}

/** Every question of a valid draft as stored (polls.questions). */
export function draftQuestions(draft: PollDraft): PollQuestion[] {
  return [draft, ...(draft.more ?? [])].slice(0, pollLimits.maxQuestions).map((q) => ({ question: q.question.trim(), kind: q.kind, options: pollOptions(q) }));
}

/** Whether a resident's profile answers fall within the poll's filters (an empty filter does not narrow). */
export function inPollAudience(c: Pick<FeedbackCandidate, 'wijkCode' | 'ageBand' | 'role'>, audience: PollAudience): boolean {
  const within = <T>(value: T | null, allowed: readonly T[] | undefined) => allowed === undefined || allowed.length === 0 || (value !== null && allowed.includes(value));
  return within(c.wijkCode, audience.wijken) && within(c.ageBand, audience.ageBands) && within(c.role, audience.roles);
}

export type PollSkipReason = 'not-asked' | 'stopped' | 'erased' | 'unreachable' | 'filtered' | 'no-template';

export type PollPlan = FeedbackPlan | { send: false; residentId: string; reason: 'filtered' | 'no-template' };

/**
 * Who gets the poll: the shared rules (may be invited, not stopped, not erased, reachable), the poll's filters, and
 * for WhatsApp outside the 24-hour window an approved `poll` template in their language; without one the resident
 * is counted as not reachable (shown on the poll page), never silently dropped.
 */
export function planPoll(c: FeedbackCandidate, audience: PollAudience, reach: { now: Date; templateLanguages: readonly string[] }): PollPlan {
  if (!inPollAudience(c, audience)) return { send: false, residentId: c.residentId, reason: 'filtered' };
  const plan = planDelivery(c, 'mayInvite');
  if (!plan.send || plan.channel !== 'whatsapp') return plan;
  const inWindow = reach.now.getTime() - c.lastSeenAt.getTime() < 24 * 3600 * 1000;
  if (!inWindow && !reach.templateLanguages.includes(plan.language)) return { send: false, residentId: c.residentId, reason: 'no-template' };
  return plan;
}

/** Whether a poll may be sent to an audience of this size: refused when empty or smaller than minPollAudience. */
export function audienceProblem(size: number): 'empty' | 'too-small' | undefined {
  if (size === 0) return 'empty';
  if (size < minPollAudience) return 'too-small';
  return undefined;
}

/** The message a resident gets: who asks, the (first) question, and how to answer. */
export function pollMessage(poll: { question: string; kind: PollKind }, language: 'nl' | 'en', municipalityName: string): string {
  const intro = language === 'en' ? `A short question from ${municipalityName}:` : `Een korte vraag van ${municipalityName}:`;
  return `${intro}\n\n${pollQuestionText(poll, language)}`;
}

/** A question and how to answer it: the first goes out in pollMessage, the next ones as the reply to an answer. */
export function pollQuestionText(poll: { question: string; kind: PollKind }, language: 'nl' | 'en'): string {
  const how =
    poll.kind === 'open'
      ? language === 'en'
        ? 'Reply to this message with your answer.'
        : 'Antwoord op dit bericht met je antwoord.'
      : language === 'en'
        ? 'Choose one of the answers.'
        : 'Kies een van de antwoorden.';
  return `${poll.question.trim()}\n\n${how}`;
}

/** A poll's questions in order; a row without `questions` (never written so, but cheap to allow) has its one question. */
export function pollQuestions(poll: { question: string; kind: PollKind; options: PollOption[]; questions?: PollQuestion[] }): PollQuestion[] {
  return poll.questions !== undefined && poll.questions.length > 0 ? poll.questions : [{ question: poll.question, kind: poll.kind, options: poll.options }];
}

/**
 * The option part of a reply button id: 'a' for the first question (as before, so buttons already sent still work),
 * '1a', '2b' for the later ones.
 */
export function questionOptionId(questionIndex: number, optionId: string): string {
  return questionIndex === 0 ? optionId : `${questionIndex}${optionId}`;
}

export function parseQuestionOptionId(id: string): { questionIndex: number; optionId: string } {
  const m = /^([12])([a-z])$/.exec(id);
  return m ? { questionIndex: Number(m[1]), optionId: m[2] ?? '' } : { questionIndex: 0, optionId: id };
}

/** A reply button's id: the poll and the option, so a reply days later still finds its poll. */
export function pollChoiceId(pollId: string, optionId: string): string {
  return `poll:${pollId}:${optionId}`;
}

export function parsePollChoice(id: string): { pollId: string; optionId: string } | undefined {
  const m = /^poll:([0-9a-f-]{36}):([a-z0-9]{1,4})$/.exec(id);
  return m ? { pollId: m[1] ?? '', optionId: m[2] ?? '' } : undefined;
}

/** Typed answers are compared without case, accents or surrounding punctuation ("Ja!" is "ja"). */
export function normaliseAnswer(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
}

/** The option a typed answer names (outside the window a template has no buttons, so residents type it), if any. */
export function optionFromText(options: readonly PollOption[], text: string): PollOption | undefined {
  const typed = normaliseAnswer(text);
  if (typed === '') return undefined;
  return options.find((o) => normaliseAnswer(o.title) === typed);
}
