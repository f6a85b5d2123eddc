import { describe, expect, it } from 'vitest';
import { detectCrisis } from '../../pipeline/steps/urgency.ts';
import { initialContext, prompt, restore, resumeAfterPause, step, type ConversationContext, type ConversationEnv, type ConversationInput, type ConversationState, type StepResult } from './core.ts';
import { defaultTexts, textsFor } from './texts.ts';

const env: ConversationEnv = {
  texts: defaultTexts,
  municipalityName: 'Zaanstad',
  privacyUrl: 'https://example.test/privacy',
  wijken: [
    { code: 'WK047906', name: 'Poelenburg' },
    { code: 'WK047913', name: 'Krommenie' },
  ],
  detectCrisis,
};

let counter = 0;
const text = (t: string): ConversationInput => ({ kind: 'text', messageId: `m${++counter}`, text: t });
const choice = (id: string, title = id): ConversationInput => ({ kind: 'choice', messageId: `m${++counter}`, id, title });

/** Runs inputs from a state and returns every step, so a test reads like the conversation. */
function converse(inputs: ConversationInput[], from: { state: ConversationState; context: ConversationContext } = { state: 'start', context: initialContext() }): StepResult[] {
  const steps: StepResult[] = [];
  let { state, context } = from;
  for (const input of inputs) {
    const result = step(state, context, input, env);
    steps.push(result);
    ({ state, context } = result);
  }
  return steps;
}

const last = <T>(xs: T[]): T => {
  const x = xs.at(-1);
  if (x === undefined) throw new Error('empty');
  return x;
};
const replyText = (r: StepResult) => r.replies.map((x) => x.text).join('\n');
const choiceIds = (r: StepResult) => r.replies.flatMap((x) => x.choices ?? []).map((c) => c.id);

const story = 'De lift in onze flat is al twee weken kapot en mijn moeder kan niet naar buiten.';

describe('first contact', () => {
  it('says who we are, that it may be anonymous, links the privacy statement and asks consent before storing anything', () => {
    const [first] = converse([text('Hallo')]);
    expect(first?.state).toBe('consent');
    const said = replyText(first as StepResult);
    expect(said).toContain('gemeente Zaanstad');
    expect(said).toContain('anoniem');
    expect(said).toContain('https://example.test/privacy');
    expect(choiceIds(first as StepResult)).toEqual(['yes', 'no']);
    expect(first?.effects).toEqual([]);
  });

  it('keeps a story sent before consent as pending and stores it once consent is given', () => {
    const steps = converse([text(story), choice('yes')]);
    expect(steps[0]?.effects).toEqual([]);
    expect(steps[0]?.context.pending).toHaveLength(1);
    expect(steps[1]?.effects).toEqual([{ type: 'give-consent' }, { type: 'store-signal', messageIds: [steps[0]?.context.pending[0]], urgent: false, crisis: null }]);
    expect(steps[1]?.state).toBe('adding');
  });

  it('stores nothing when consent is declined, and can start again', () => {
    const steps = converse([text(story), text('nee'), text('opnieuw')]);
    expect(steps[1]?.state).toBe('stopped');
    expect(steps[1]?.context.pending).toEqual([]);
    expect(steps.flatMap((s) => s.effects)).toEqual([]);
    expect(steps[2]?.state).toBe('consent');
  });

  it('accepts typed yes and asks for the story', () => {
    const steps = converse([text('hoi'), text('Ja')]);
    expect(last(steps).state).toBe('listening');
    expect(replyText(last(steps))).toContain('Vertel maar');
  });
});

describe('listening', () => {
  const consented = { state: 'listening' as const, context: { ...initialContext(), consented: true } };

  it('follows up gently on a very short message and stores both as one signal', () => {
    const steps = converse([text('lift kapot'), text('Al twee weken, niemand komt het maken.')], consented);
    expect(steps[0]?.effects).toEqual([]);
    expect(replyText(steps[0] as StepResult)).toContain('iets meer');
    expect(steps[1]?.effects).toEqual([{ type: 'store-signal', messageIds: [steps[0]?.context.pending[0], expect.any(String)], urgent: false, crisis: null }]);
    expect(steps[1]?.context.pending).toEqual([]);
  });

  it('does not store greetings or emoji as a story', () => {
    for (const t of ['hallo', '👍👍', '...']) {
      const [s] = converse([text(t)], consented);
      expect(s?.effects).toEqual([]);
      expect(s?.state).toBe('listening');
    }
  });

  it('takes further messages as parts of the same experience until Klaar', () => {
    const steps = converse([text(story), text('En de trap is ook donker.'), choice('done')], consented);
    expect(steps[0]?.state).toBe('adding');
    expect(steps[1]?.effects).toHaveLength(1);
    expect(steps[1]?.effects[0]).toMatchObject({ type: 'store-signal', urgent: false });
    expect(steps[2]?.state).toBe('ask-wijk');
    expect(replyText(steps[2] as StepResult)).toContain('overslaan');
  });
});

describe('profile questions', () => {
  const atWijk = { state: 'ask-wijk' as const, context: { ...initialContext(), consented: true, reference: 'WS-ABCDEF' } };

  it('offers the wijken as quick replies plus skip', () => {
    const asked = prompt('ask-wijk', atWijk.context, env);
    expect(asked.choices?.map((c) => c.id)).toEqual(['wijk:WK047906', 'wijk:WK047913', 'skip']);
    expect(asked.choices?.at(-1)?.essential).toBe(true);
  });

  it('walks through wijk, age, role, feedback and invite, then summarises with the reference', () => {
    const steps = converse([choice('wijk:WK047906'), choice('age:25_45'), choice('role:carer'), choice('yes'), choice('no')], atWijk);
    expect(steps.map((s) => s.state)).toEqual(['ask-age', 'ask-role', 'ask-feedback', 'ask-invite', 'listening']);
    expect(steps.flatMap((s) => s.effects)).toEqual([
      { type: 'set-profile', profile: { wijkCode: 'WK047906' } },
      { type: 'set-profile', profile: { ageBand: '25_45' } },
      { type: 'set-profile', profile: { role: 'carer' } },
      { type: 'set-profile', profile: { wantsFeedback: true } },
      { type: 'set-profile', profile: { mayInvite: false } },
    ]);
    const summary = replyText(last(steps));
    expect(summary).toContain('WS-ABCDEF');
    expect(summary).toContain('wijk: Poelenburg');
    expect(summary).toContain('25 tot 45 jaar');
    expect(summary).toContain('Ik zorg voor iemand');
    expect(summary).toContain('we laten je weten');
    expect(summary).not.toContain('uitnodigen');
    expect(last(steps).context.profileDone).toBe(true);
    expect(last(steps).context.reference).toBeNull();
  });

  it('lets every question be skipped, typed or matched by name', () => {
    const skipped = converse([text('overslaan'), text('skip'), choice('skip'), text('overslaan'), choice('skip')], atWijk);
    expect(skipped.flatMap((s) => s.effects)).toEqual([]);
    expect(last(skipped).state).toBe('listening');
    const typed = converse([text('krommenie'), text('ik ben 70'), text('mantelzorger'), text('ja'), text('ja')], atWijk);
    expect(typed.flatMap((s) => s.effects).map((e) => (e.type === 'set-profile' ? e.profile : e))).toEqual([
      { wijkCode: 'WK047913' },
      { ageBand: '65_plus' },
      { role: 'carer' },
      { wantsFeedback: true },
      { mayInvite: true },
    ]);
  });

  it('keeps a typed street or postcode as a place answer', () => {
    const [s] = converse([text('Peperstraat 1503')], atWijk);
    expect(s?.effects).toEqual([{ type: 'set-profile', profile: { placeAnswer: 'Peperstraat 1503' } }]);
  });

  it('takes a longer text during the questions as more of the story, and asks the question again', () => {
    const [s] = converse([text('En ik wil ook nog zeggen dat de bus nooit op tijd rijdt hier.')], { ...atWijk, state: 'ask-age' });
    expect(s?.state).toBe('ask-age');
    expect(s?.effects).toEqual([{ type: 'store-signal', messageIds: [expect.any(String)], urgent: false, crisis: null }]);
    expect(replyText(s as StepResult)).toContain('dat zetten we bij je verhaal');
    expect(replyText(s as StepResult)).toContain('Hoe oud ben je?');
  });

  it('asks again, kindly, when an answer is not understood', () => {
    const [s] = converse([text('blauw')], { ...atWijk, state: 'ask-age' });
    expect(s?.state).toBe('ask-age');
    expect(replyText(s as StepResult)).toContain('begreep ik niet');
    expect(choiceIds(s as StepResult)).toContain('age:65_plus');
  });
});

describe('a returning resident', () => {
  it('adds a new signal without the profile questions', () => {
    const back = { state: 'listening' as const, context: { ...initialContext(), consented: true, profileDone: true } };
    const steps = converse([text('Nu is ook de verlichting in de gang kapot, al dagen.'), choice('done')], back);
    expect(steps[0]?.effects[0]).toMatchObject({ type: 'store-signal' });
    expect(steps[1]?.state).toBe('listening');
    expect(replyText(steps[1] as StepResult)).toContain('{reference}');
    expect(steps.flatMap((s) => s.effects).filter((e) => e.type === 'set-profile')).toEqual([]);
  });

  it('coming back after a pause halfway through the questions, is listened to again', () => {
    const halfway = { ...initialContext(), consented: true, reference: 'WS-OLD', answers: { wijk: 'Krommenie' }, resume: 'ask-age' as const };
    expect(resumeAfterPause('ask-age', halfway)).toEqual({ state: 'listening', context: { ...initialContext(), consented: true } });
    expect(resumeAfterPause('adding', { ...initialContext() }).state).toBe('start');
    for (const state of ['start', 'consent', 'listening', 'stopped'] as const) expect(resumeAfterPause(state, halfway).state).toBe(state);
  });

  it('after stop, a consented resident is listened to again', () => {
    const steps = converse([text('stop'), text(story)], { state: 'ask-age', context: { ...initialContext(), consented: true } });
    expect(steps[0]?.state).toBe('stopped');
    expect(steps[1]?.effects[0]).toMatchObject({ type: 'store-signal' });
  });
});

describe('always available', () => {
  const mid = { state: 'ask-role' as const, context: { ...initialContext(), consented: true } };

  it('help explains the commands and asks the current question again', () => {
    const [s] = converse([text('Hulp')], mid);
    expect(s?.state).toBe('ask-role');
    expect(replyText(s as StepResult)).toContain("'verwijder mijn gegevens'");
    expect(choiceIds(s as StepResult)).toContain('role:client');
  });

  it('switches language both ways and stores the choice', () => {
    const steps = converse([text('English'), text('nederlands')], mid);
    expect(steps[0]?.context.language).toBe('en');
    expect(replyText(steps[0] as StepResult)).toContain('What fits you best?');
    expect(steps[0]?.effects).toEqual([{ type: 'set-profile', profile: { language: 'en' } }]);
    expect(steps[1]?.context.language).toBe('nl');
  });

  it('opnieuw starts the story again but keeps consent and language', () => {
    const [s] = converse([text('opnieuw')], { state: 'adding', context: { ...mid.context, language: 'en', reference: 'WS-X' } });
    expect(s?.state).toBe('listening');
    expect(s?.context).toMatchObject({ consented: true, language: 'en', reference: null });
  });

  it('erasure asks for confirmation, then erases; declining changes nothing', () => {
    const erased = converse([text('Verwijder mijn gegevens'), choice('erase-yes')], mid);
    expect(erased[0]?.state).toBe('confirm-erase');
    expect(erased[0]?.effects).toEqual([]);
    expect(erased[1]?.effects).toEqual([{ type: 'erase-resident' }]);
    expect(erased[1]?.state).toBe('start');
    expect(erased[1]?.context.consented).toBe(false);
    const kept = converse([text('delete my data'), text('nee')], mid);
    expect(kept[1]?.effects).toEqual([]);
    expect(kept[1]?.state).toBe('ask-role');
    expect(kept[1]?.context.resume).toBeUndefined();
  });

  it('treats words that name object properties as plain text, not as commands', () => {
    for (const t of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const [s] = converse([text(t)], { state: 'listening', context: { ...initialContext(), consented: true } });
      expect(s?.state, t).toBe('listening');
      expect(s?.replies.length, t).toBeGreaterThan(0);
    }
  });

  it('refuses what it cannot read, in the resident’s language, and keeps the question', () => {
    const [nl] = converse([{ kind: 'unsupported', messageId: 'v', what: 'voice' }], mid);
    expect(replyText(nl as StepResult)).toBe('Ik kan nog geen spraakberichten verwerken. Wil je het typen?');
    expect(nl?.state).toBe('ask-role');
    expect(choiceIds(nl as StepResult)).toContain('skip');
    const [en] = converse([{ kind: 'unsupported', messageId: 'p', what: 'image' }], { ...mid, context: { ...mid.context, language: 'en' } });
    expect(replyText(en as StepResult)).toContain('I cannot handle photos yet');
  });
});

describe('crisis', () => {
  it('gives 113 and 112 in the same reply and stores the story as urgent', () => {
    const [s] = converse([text('Ik wil niet meer leven, alles is op.')], { state: 'listening', context: { ...initialContext(), consented: true } });
    expect(s?.replies[0]?.text).toContain('0800-0113');
    expect(s?.replies[0]?.text).toContain('112');
    expect(s?.effects).toEqual([{ type: 'store-signal', messageIds: [expect.any(String)], urgent: true, crisis: 'suicide' }]);
  });

  it('gives Veilig Thuis for violence, even before consent, and flags it for a person', () => {
    const [s] = converse([text('Mijn man slaat me elke avond')]);
    expect(s?.replies[0]?.text).toContain('0800-2000');
    expect(s?.replies[0]?.text).toContain('112');
    expect(s?.effects).toEqual([{ type: 'store-signal', messageIds: [expect.any(String)], urgent: true, crisis: 'violence' }]);
    expect(s?.context.pending).toEqual([]);
    expect(s?.state).toBe('consent');
  });

  it('flags a crisis typed in the middle of the profile questions', () => {
    const [s] = converse([text('we zijn nu in gevaar')], { state: 'ask-age', context: { ...initialContext(), consented: true } });
    expect(s?.replies[0]?.text).toContain('112');
    expect(s?.effects).toEqual([{ type: 'store-signal', messageIds: [expect.any(String)], urgent: true, crisis: 'danger' }]);
    expect(s?.state).toBe('ask-age');
  });
});

// The detector itself is tested in pipeline/steps/urgency.test.ts; these are the phrasings the bot must catch.
describe('crisis detection used by the bot', () => {
  it.each([
    ['Ik denk aan zelfmoord', 'suicide'],
    ['soms wil ik dood', 'suicide'],
    ['I want to kill myself', 'suicide'],
    ['Mijn vriend slaat me', 'violence'],
    ['er is huiselijk geweld bij de buren', 'violence'],
    ['my husband hits me', 'violence'],
    ['Help nu, we zijn in gevaar', 'danger'],
    ['I am not safe at home', 'danger'],
  ])('%s → %s', (t, kind) => {
    expect(detectCrisis(t)).toEqual({ urgent: true, kind });
  });

  it.each(['De lift is kapot', 'Ik ben doodmoe van het wachten', 'De stoep is gevaarlijk glad', 'zelfstandig wonen lukt niet'])('not a crisis: %s', (t) => {
    expect(detectCrisis(t)).toEqual({ urgent: false, kind: null });
  });
});

describe('texts', () => {
  it('quick-reply titles fit WhatsApp buttons (20 characters) in both languages', () => {
    for (const texts of Object.values(defaultTexts)) {
      for (const key of ['consentYes', 'consentNo', 'done', 'skip', 'yes', 'no', 'eraseYes', 'eraseNo', 'age_0_15', 'age_65_plus', 'role_client', 'role_carer', 'role_resident'] as const) {
        expect(texts[key].length, `${key}: ${texts[key]}`).toBeLessThanOrEqual(20);
      }
    }
  });

  it('a municipality overrides texts from settings; junk is ignored', () => {
    const texts = textsFor({ botTexts: { nl: { askAge: 'Wat is je leeftijd?', nonsense: 'x', skip: 42, constructor: 'x' }, en: 'broken' } });
    expect(Object.hasOwn(texts.nl, 'constructor')).toBe(false);
    expect(texts.nl.askAge).toBe('Wat is je leeftijd?');
    expect(texts.nl.skip).toBe('Overslaan');
    expect(texts.en.askAge).toBe('How old are you?');
    const custom = step('ask-wijk', { ...initialContext(), consented: true }, { kind: 'choice', messageId: 'x', id: 'skip', title: 'skip' }, { ...env, texts });
    expect(custom.replies[0]?.text).toBe('Wat is je leeftijd?');
  });

  it('restores a damaged stored context without crashing', () => {
    expect(restore('nonsense', { language: 'fr', pending: [1, 'a'] })).toEqual({ state: 'start', context: { ...initialContext(), pending: ['a'] } });
  });
});

describe('awaiting a poll answer (flash polls, issue 6)', () => {
  const pollId = '0b9f6c3e-1d2a-4c5b-8e7f-9a0b1c2d3e4f';
  const listening = { state: 'listening' as const, context: { ...initialContext(), consented: true, profileDone: true } };
  const choicePoll = { id: pollId, questionIndex: 0, kind: 'choice' as const, options: [{ id: 'a', title: 'Ja' }, { id: 'b', title: 'Nee' }], open: true };
  const withPoll = (poll: ConversationEnv['poll']) => ({ ...env, poll });

  it('a reply button of the poll records the option and leaves the conversation where it was', () => {
    const r = step(listening.state, listening.context, choice(`poll:${pollId}:b`, 'Nee'), withPoll(choicePoll));
    expect(r.effects).toEqual([{ type: 'answer-poll', pollId, questionIndex: 0, optionId: 'b', settle: true }]);
    expect(r.state).toBe('listening');
    expect(replyText(r)).toContain('Dank je wel voor je antwoord');
  });

  it('a typed option counts (a template outside the 24-hour window has no buttons); other text is the story as usual', () => {
    expect(step(listening.state, listening.context, text('Ja!'), withPoll(choicePoll)).effects).toEqual([{ type: 'answer-poll', pollId, questionIndex: 0, optionId: 'a', settle: true }]);
    const story2 = step(listening.state, listening.context, text(story), withPoll(choicePoll));
    expect(story2.effects.some((e) => e.type === 'answer-poll')).toBe(false);
    expect(story2.effects.some((e) => e.type === 'store-signal')).toBe(true);
  });

  it('an open answer is stored as a signal linked to the poll; a crisis in it is still flagged urgent', () => {
    const open = { ...choicePoll, kind: 'open' as const, options: [] };
    const input = text('Meer bankjes in de schaduw.');
    expect(step(listening.state, listening.context, input, withPoll(open)).effects).toEqual([{ type: 'store-signal', messageIds: [input.messageId], urgent: false, crisis: null, pollId, questionIndex: 0 }]);
    const crisis = step(listening.state, listening.context, text('Ik wil niet meer leven, ik wil dood'), withPoll(open));
    const stored = crisis.effects.filter((e) => e.type === 'store-signal');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ urgent: true, pollId });
  });

  it('an answer to a closed poll: a polite "closed", the poll settled, and the message handled as any other', () => {
    const closed = { ...choicePoll, kind: 'open' as const, options: [], open: false };
    const r = step(listening.state, listening.context, text(story), withPoll(closed));
    expect(r.replies[0]?.text).toContain('Deze peiling is gesloten');
    expect(r.effects[0]).toEqual({ type: 'settle-poll', pollId });
    expect(r.effects.some((e) => e.type === 'store-signal' && e.pollId === undefined)).toBe(true);
  });

  it('a button of another poll, or no poll waiting, is not an answer', () => {
    const other = step(listening.state, listening.context, choice('poll:11111111-2222-4333-8444-555555555555:a', 'Ja'), withPoll(choicePoll));
    expect(other.effects.some((e) => e.type === 'answer-poll')).toBe(false);
    expect(step(listening.state, listening.context, text('Ja'), env).effects.some((e) => e.type === 'answer-poll')).toBe(false);
  });

  it('a poll of three questions: each answer asks the next in the reply (buttons), the last, open, settles it', () => {
    const second = { question: 'Hoe vaak?', kind: 'choice' as const, options: [{ id: 'a', title: 'Vaak' }, { id: 'b', title: 'Soms' }, { id: 'c', title: 'Nooit' }] };
    const third = { question: 'Wat kan beter?', kind: 'open' as const, options: [] };
    const first = step(listening.state, listening.context, choice(`poll:${pollId}:a`, 'Ja'), withPoll({ ...choicePoll, next: second }));
    expect(first.effects).toEqual([{ type: 'answer-poll', pollId, questionIndex: 0, optionId: 'a', settle: false }]);
    expect(first.state).toBe('listening');
    expect(first.replies).toEqual([{ text: 'Hoe vaak?\n\nKies een van de antwoorden.', choices: [`poll:${pollId}:1a`, `poll:${pollId}:1b`, `poll:${pollId}:1c`].map((id, i) => ({ id, title: second.options[i]?.title })) }]);
    const q2 = { ...choicePoll, questionIndex: 1, options: second.options, next: third };
    // The first question's buttons no longer answer the second; the second's (or its typed option) do.
    expect(step(listening.state, listening.context, choice(`poll:${pollId}:b`, 'Nee'), withPoll(q2)).effects.some((e) => e.type === 'answer-poll')).toBe(false);
    const typed = step(listening.state, listening.context, text('soms'), withPoll(q2));
    expect(typed.effects).toEqual([{ type: 'answer-poll', pollId, questionIndex: 1, optionId: 'b', settle: false }]);
    expect(typed.replies).toEqual([{ text: 'Wat kan beter?\n\nAntwoord op dit bericht met je antwoord.' }]);
    const input = text('Meer bankjes in de schaduw.');
    const last = step(listening.state, listening.context, input, withPoll({ ...choicePoll, questionIndex: 2, kind: 'open', options: [] }));
    expect(last.effects).toEqual([{ type: 'store-signal', messageIds: [input.messageId], urgent: false, crisis: null, pollId, questionIndex: 2 }]);
    expect(replyText(last)).toContain('Dank je wel voor je antwoord');
  });
});
