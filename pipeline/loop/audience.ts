/**
 * Who hears back about an agenda item, and how. Pure: the repository reads the residents of the item's clusters,
 * this decides for each one. A resident hears back only when they asked to (the bot's ask-feedback question), have
 * not said "stop", have not had their data erased, and can be reached on their channel.
 */
import type { Channel } from '../../db/tables/common.ts';
import type { AgeBand, ResidentRole } from '../../db/tables/resident.table.ts';

export interface FeedbackCandidate {
  residentId: string;
  channel: Channel;
  wantsFeedback: boolean;
  /** Answered yes to "may we invite you?" (the bot's ask-invite question): the audience of flash polls. */
  mayInvite: boolean;
  /** Null after an erasure ("verwijder mijn gegevens"), which also clears wantsFeedback. */
  consentAt: Date | null;
  /** WhatsApp: the number or user id to send to. Web chat residents have none. */
  hasContact: boolean;
  /** The state of the resident's latest conversation; 'stopped' after "stop". */
  conversationState: string | null;
  /** The conversation the message goes into: the open one (the web chat shows it on the next visit). */
  conversationId: string | null;
  language: string | null;
  /** The resident's last message (WhatsApp's 24-hour window), and their profile answers (poll audience filters). */
  lastSeenAt: Date;
  wijkCode: string | null;
  ageBand: AgeBand | null;
  role: ResidentRole | null;
}

export type SkipReason = 'not-asked' | 'stopped' | 'erased' | 'unreachable';

export type FeedbackPlan =
  | { send: true; residentId: string; channel: Channel; conversationId: string | null; language: 'nl' | 'en' }
  | { send: false; residentId: string; reason: SkipReason };

export function planFeedback(c: FeedbackCandidate): FeedbackPlan {
  return planDelivery(c, 'wantsFeedback');
}

/**
 * The rules every batch to residents shares (feedback, flash polls): not erased, asked for it (`consent`: the profile
 * answer that allows this kind of message), not stopped, reachable on their channel.
 */
export function planDelivery(c: FeedbackCandidate, consent: 'wantsFeedback' | 'mayInvite'): FeedbackPlan {
  if (c.consentAt === null) return { send: false, residentId: c.residentId, reason: 'erased' };
  if (!c[consent]) return { send: false, residentId: c.residentId, reason: 'not-asked' };
  if (c.conversationState === 'stopped') return { send: false, residentId: c.residentId, reason: 'stopped' };
  // A web chat resident is reached through their conversation, a WhatsApp one through their number.
  if (c.channel === 'whatsapp' ? !c.hasContact : c.conversationId === null) return { send: false, residentId: c.residentId, reason: 'unreachable' };
  return { send: true, residentId: c.residentId, channel: c.channel, conversationId: c.conversationId, language: c.language === 'en' ? 'en' : 'nl' };
}

/** The message a resident gets: a short line naming the topic, then the council's own words, in their language. */
export function feedbackMessage(item: { title: string; feedbackNl: string; feedbackEn: string | null }, language: 'nl' | 'en', municipalityName: string): string {
  const body = language === 'en' && item.feedbackEn !== null && item.feedbackEn.trim() !== '' ? item.feedbackEn.trim() : item.feedbackNl.trim();
  const intro =
    language === 'en'
      ? `You asked to hear back. News from ${municipalityName} about "${item.title}":`
      : `Je wilde horen wat er met je verhaal gebeurt. Nieuws van ${municipalityName} over "${item.title}":`;
  return `${intro}\n\n${body}`;
}

/** The template purpose in the municipality's registry (settings.whatsappTemplates) used outside the 24-hour window. */
export const feedbackTemplatePurpose = 'feedback';
