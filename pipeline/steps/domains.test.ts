import { describe, expect, it } from 'vitest';
import { readJsonl, evaluationDir, type DevExample } from '../evaluation/evaluate.ts';
import { defaultDomainKeys } from '../taxonomy.ts';
import { loadTrainingExamples } from '../training/examples.ts';
import { defaultDomainClassifier } from '../analysis/context.ts';
import { normalise, words } from './text.ts';
import { trainDomainClassifier } from './domains.ts';

const training = loadTrainingExamples();
const classifier = defaultDomainClassifier();
const top = (text: string) => classifier.classify(text).domains[0]?.key;

describe('labelled examples', () => {
  it('are at least 300, CONTRACTS.md section 8 format, with known keys and every domain represented', () => {
    expect(training.length).toBeGreaterThanOrEqual(300);
    for (const e of training) {
      expect(e.text.trim()).not.toBe('');
      expect(e.domains.length).toBeGreaterThan(0);
      for (const d of e.domains) expect(defaultDomainKeys).toContain(d);
    }
    for (const key of defaultDomainKeys) expect(training.filter((e) => e.domains.includes(key)).length).toBeGreaterThanOrEqual(12);
    expect(new Set(training.map((e) => e.id)).size).toBe(training.length);
  });

  it('the development set is separate: at least 400 multi-label signals, none copied from training', () => {
    const dev = readJsonl<DevExample>(`${evaluationDir}/dev.jsonl`);
    expect(dev.length).toBeGreaterThanOrEqual(400);
    expect(dev.filter((d) => d.domains.length > 1).length).toBeGreaterThanOrEqual(60);
    const trained = new Set(training.map((e) => normalise(e.text)));
    expect(dev.filter((d) => trained.has(normalise(d.text)))).toEqual([]);
  });

  it('no training text is a near-duplicate of a development text (token Jaccard above 0.8)', () => {
    const dev = readJsonl<DevExample>(`${evaluationDir}/dev.jsonl`);
    const tokens = (text: string) => new Set(words(text));
    const devTokens = dev.map((d) => ({ id: d.id, set: tokens(d.text) }));
    const nearDuplicates: string[] = [];
    for (const e of training) {
      const set = tokens(e.text);
      for (const d of devTokens) {
        let shared = 0;
        for (const t of set) if (d.set.has(t)) shared++;
        const jaccard = shared / (set.size + d.set.size - shared || 1);
        if (jaccard > 0.8) nearDuplicates.push(`${e.id} ~ ${d.id} (${jaccard.toFixed(2)})`);
      }
    }
    expect(nearDuplicates).toEqual([]);
  });
});

describe('domain classifier', () => {
  it.each([
    ['wachtlijstjeugdzorg is echt een drama voor ons gezin', 'jeugd'],
    ['de schoonmaakster van de thuiszorg komt al weken niet', 'zorg'],
    ['ff vragen, kan ik ergens gratis nederlandse les krijgen', 'onderwijs'],
    ['idd de bus komt gwn nie meer door onze wijk', 'vervoer'],
    ['schimmel op de slaapkamer en de verhuurder reageert niet', 'wonen'],
    ['The pavement outside my house is broken', 'openbare_ruimte'],
    ['I have so much debt, I cannot pay my bills', 'geld'],
    ['ik zorg elke dag voor mijn zieke vader en kan niet meer', 'mantelzorg'],
    ['dealers voor de deur, ik durf niet naar buiten', 'veiligheid'],
    ['niemand om mee te praten, ik ben zo eenzaam', 'sociaal'],
  ])('%s → %s', (text, key) => {
    expect(top(text)).toBe(key);
  });

  it('gives several domains, highest first, with confidences between 0 and 1', () => {
    const result = classifier.classify('Door de schulden kunnen we de huur niet betalen en dreigt ontruiming');
    const keys = result.domains.map((d) => d.key);
    expect(keys).toContain('geld');
    expect(keys).toContain('wonen');
    const confidences = result.domains.map((d) => d.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
    for (const c of confidences) {
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });

  it('sends what it cannot place to review, with no domain', () => {
    for (const text of ['hallo', 'xkcd qwerty', '[naam] [telefoon]']) {
      expect(classifier.classify(text)).toEqual({ domains: [], review: true });
    }
    // A thank-you resembles the "meedoen" examples a little: at most a weak guess, and a person looks.
    const thanks = classifier.classify('ok bedankt');
    expect(thanks.review).toBe(true);
    expect(thanks.domains.every((d) => d.confidence < 0.7)).toBe(true);
  });

  it('is deterministic: the same examples train the same model', () => {
    const again = trainDomainClassifier(training, defaultDomainKeys);
    const text = 'de regiotaxi is weer te laat en ik mis mijn afspraak bij de huisarts';
    expect(again.classify(text)).toEqual(classifier.classify(text));
  });
});
