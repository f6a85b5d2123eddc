/** The loop's pure core: which status moves are allowed, who hears back and in which words, and the send pace. */
import { describe, expect, it } from 'vitest';
import { feedbackMessage, planFeedback, type FeedbackCandidate } from '../pipeline/loop/audience.ts';
import { isPublic, nextStatuses, transitionProblem } from '../pipeline/loop/status.ts';
import { pacedRate } from '../pipeline/queue/index.ts';

const none = { advice: null, decision: null, feedbackNl: null };

describe('agenda status', () => {
  it('moves forward only, skipping allowed', () => {
    expect(nextStatuses('new')).toEqual(['on_agenda', 'in_discussion', 'advice_given', 'decided', 'reported_back']);
    expect(nextStatuses('reported_back')).toEqual([]);
    expect(transitionProblem('new', 'on_agenda', none)).toBeUndefined();
    expect(transitionProblem('in_discussion', 'on_agenda', none)).toBe('not-forward');
    expect(transitionProblem('decided', 'decided', none)).toBe('not-forward');
    expect(transitionProblem('new', 'closed', none)).toBe('unknown-status');
  });

  it('requires the text a status records', () => {
    expect(transitionProblem('in_discussion', 'advice_given', { ...none, advice: '  ' })).toBe('advice-required');
    expect(transitionProblem('new', 'decided', none)).toBe('decision-required');
    expect(transitionProblem('decided', 'reported_back', { ...none, decision: 'Ja.' })).toBe('feedback-required');
    expect(transitionProblem('decided', 'reported_back', { ...none, decision: 'Ja.', feedbackNl: 'Het is geregeld.' })).toBeUndefined();
    expect([isPublic('decided'), isPublic('reported_back'), isPublic('advice_given')]).toEqual([true, true, false]);
  });
});

describe('feedback audience', () => {
  const base: FeedbackCandidate = { residentId: 'r', channel: 'whatsapp', wantsFeedback: true, consentAt: new Date(), hasContact: true, conversationState: 'listening', conversationId: 'c', language: 'en', mayInvite: false, lastSeenAt: new Date(), wijkCode: null, ageBand: null, role: null };

  it('sends to a resident who asked, in their language', () => {
    expect(planFeedback(base)).toEqual({ send: true, residentId: 'r', channel: 'whatsapp', conversationId: 'c', language: 'en' });
    expect(planFeedback({ ...base, language: 'tr' })).toMatchObject({ send: true, language: 'nl' });
  });

  it('skips residents who did not ask, said stop, were erased or cannot be reached', () => {
    expect(planFeedback({ ...base, wantsFeedback: false })).toMatchObject({ send: false, reason: 'not-asked' });
    expect(planFeedback({ ...base, conversationState: 'stopped' })).toMatchObject({ send: false, reason: 'stopped' });
    expect(planFeedback({ ...base, consentAt: null, wantsFeedback: false })).toMatchObject({ send: false, reason: 'erased' });
    expect(planFeedback({ ...base, hasContact: false })).toMatchObject({ send: false, reason: 'unreachable' });
    expect(planFeedback({ ...base, channel: 'web', hasContact: false, conversationId: null })).toMatchObject({ send: false, reason: 'unreachable' });
    expect(planFeedback({ ...base, channel: 'web', hasContact: false })).toMatchObject({ send: true, channel: 'web' });
  });

  it('writes English when given, and falls back to Dutch', () => {
    const item = { title: 'Buurtbus', feedbackNl: 'De bus rijdt weer.', feedbackEn: 'The bus runs again.' };
    expect(feedbackMessage(item, 'en', 'Zaanstad')).toContain('The bus runs again.');
    expect(feedbackMessage(item, 'nl', 'Zaanstad')).toContain('De bus rijdt weer.');
    expect(feedbackMessage({ ...item, feedbackEn: ' ' }, 'en', 'Zaanstad')).toContain('De bus rijdt weer.');
    expect(feedbackMessage(item, 'nl', 'Zaanstad')).toMatch(/^Je wilde horen .*Zaanstad.*Buurtbus/);
  });
});

describe('send pace', () => {
  it('never lets a one-second span hold more than the rate, even across fixed windows', () => {
    for (const perSecond of [11, 20, 80, 81, 250, 1000]) {
      const { max, durationMs } = pacedRate(perSecond);
      // A span of 1,000 ms touches at most ceil(1000 / durationMs) + 1 fixed windows.
      expect((Math.ceil(1000 / durationMs) + 1) * max).toBeLessThanOrEqual(perSecond);
      expect(max).toBeGreaterThanOrEqual(1);
    }
    expect(pacedRate(80)).toEqual({ max: 7, durationMs: 100 });
  });
});
