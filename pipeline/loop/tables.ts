/**
 * Temporary tables (tijdelijke tafels, issue 6), the rules without I/O. An invitation is a poll with three fixed
 * options, so the poll's delivery (reply buttons, template, web chat) and answer handling carry it unchanged. Consent
 * to pass on a resident's number is an answer of its own ("Ja, deel mijn nummer"), never implied by accepting.
 */
import type { Meeting, PollOption } from '../../db/database.ts';
import { pollLimits } from './poll.ts';

/** Option ids: accept and share the number, accept and come without sharing it, decline. */
export const invitationAnswers = { shareContact: 'a', comeSelf: 'b', decline: 'c' } as const;

/** Button titles (at most 20 characters: a WhatsApp reply button). Dutch, as the poll question is. */
export const invitationOptions: PollOption[] = [
  { id: invitationAnswers.shareContact, title: 'Ja, deel mijn nummer' },
  { id: invitationAnswers.comeSelf, title: 'Ja, ik kom zelf' },
  { id: invitationAnswers.decline, title: 'Nee, ik kom niet' },
];

export const meetingLimits = { title: 100, when: 100, where: 150 } as const;

/** The poll question residents get: what, when, where, the organiser's words, and what the first button means. */
export function invitationQuestion(m: Meeting): string {
  const text = m.text.trim();
  return [
    `Uitnodiging: ${m.title.trim()}`,
    `Wanneer: ${m.when.trim()}`,
    `Waar: ${m.where.trim()}`,
    ...(text === '' ? [] : [text]),
    'Kom je? Met "Ja, deel mijn nummer" mag de organisator je WhatsApp-nummer zien om je te bellen of te appen.',
  ].join('\n');
}

export type MeetingField = 'title' | 'when' | 'where' | 'text';

/** What is wrong with the meeting details, per field; empty when the invitation may be stored. */
export function meetingProblems(m: Meeting): Set<MeetingField> {
  const problems = new Set<MeetingField>();
  const required = (field: 'title' | 'when' | 'where') => {
    const v = m[field].trim();
    if (v === '' || v.length > meetingLimits[field]) problems.add(field);
  };
  required('title');
  required('when');
  required('where');
  // The whole question must fit a poll question (and so a WhatsApp message body).
  if (problems.size === 0 && invitationQuestion(m).length > pollLimits.question) problems.add('text');
  return problems;
}

export interface InvitationCounts {
  invited: number;
  accepted: number;
  declined: number;
  noAnswer: number;
}

/** The organiser's figures from the poll's: accepted is both yes answers. */
export function invitationCounts(sent: number, perOption: readonly { optionId: string; answers: number }[]): InvitationCounts {
  const of = (id: string) => perOption.find((o) => o.optionId === id)?.answers ?? 0;
  const accepted = of(invitationAnswers.shareContact) + of(invitationAnswers.comeSelf);
  const declined = of(invitationAnswers.decline);
  return { invited: sent, accepted, declined, noAnswer: Math.max(0, sent - accepted - declined) };
}
