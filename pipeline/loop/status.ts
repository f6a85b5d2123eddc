/**
 * The agenda item's life: new → on the agenda → in discussion → advice given → decided → reported back. Pure: the
 * page asks here whether a move is allowed and what it needs, the repository stores it with its history.
 *
 * An item only moves forward (its history is the account of what happened to residents' input), and may skip a
 * step: a council may decide without a formal advice. Each status that records something needs that text first.
 */
import { agendaStatuses, type AgendaStatus } from '../../db/tables/agenda.table.ts';

export { agendaStatuses, type AgendaStatus };

export interface AgendaTexts {
  advice: string | null;
  decision: string | null;
  feedbackNl: string | null;
}

export type TransitionProblem = 'unknown-status' | 'not-forward' | 'advice-required' | 'decision-required' | 'feedback-required';

export function isAgendaStatus(value: string): value is AgendaStatus {
  return (agendaStatuses as readonly string[]).includes(value);
}

/** The statuses an item in `from` may move to, in order. */
export function nextStatuses(from: AgendaStatus): AgendaStatus[] {
  return agendaStatuses.slice(agendaStatuses.indexOf(from) + 1);
}

/** Why the move is not allowed, or undefined when it is. The texts are those the item will have after the move. */
export function transitionProblem(from: AgendaStatus, to: string, texts: AgendaTexts): TransitionProblem | undefined {
  if (!isAgendaStatus(to)) return 'unknown-status';
  if (!nextStatuses(from).includes(to)) return 'not-forward';
  const filled = (s: string | null) => s !== null && s.trim() !== '';
  if (to === 'advice_given' && !filled(texts.advice)) return 'advice-required';
  if ((to === 'decided' || to === 'reported_back') && !filled(texts.decision)) return 'decision-required';
  if (to === 'reported_back' && !filled(texts.feedbackNl)) return 'feedback-required';
  return undefined;
}

/** Decided or reported back: what the public summary lists. */
export function isPublic(status: AgendaStatus): boolean {
  return status === 'decided' || status === 'reported_back';
}
