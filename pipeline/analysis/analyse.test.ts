import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { gazetteerDataFromCsv } from '../evaluation/evaluate.ts';
import { defaultDomainClassifier } from './context.ts';
import { analyseBatch, analyseSignal, createAnalyser, MAX_TEXT_LENGTH, parseSignalLine, type AnalysisResult } from './analyse.ts';

const analyser = createAnalyser({ examples: [], classifier: defaultDomainClassifier(), gazetteer: gazetteerDataFromCsv(readFileSync(demoGazetteerPath, 'utf8')) });

describe('analyseSignal', () => {
  it('returns exactly the fields of CONTRACTS.md section 5, redacted, tagged, placed and scored', () => {
    const result = analyseSignal(analyser, {
      id: 'a-1',
      text: 'Hoi, ik ben Fatima. Al maanden schimmel in ons huis aan de Peperstraat 12, de verhuurder doet niks. Bel me: 06-12345678',
      municipality: 'GM0479',
    });
    expect(Object.keys(result)).toEqual(['id', 'language', 'text_redacted', 'domains', 'review', 'neighborhood', 'sentiment', 'urgent', 'cluster']);
    expect(result).toMatchObject({
      id: 'a-1',
      language: 'nl',
      text_redacted: 'Hoi, ik ben [naam]. Al maanden schimmel in ons huis aan de [adres], de verhuurder doet niks. Bel me: [telefoon]',
      neighborhood: { gemeente_code: 'GM0479', wijk_code: 'WK047901', buurt_code: 'BU04790103', name: 'Westzijde' },
      urgent: false,
      cluster: null,
    });
    expect(result.domains[0]?.key).toBe('wonen');
    expect(result.sentiment).toBeLessThan(0);
  });

  it('uses the place and postcode answers and the conversation language', () => {
    const result = analyseSignal(analyser, { id: 'b', text: 'ok', place: 'poelenburg', postcode: '1507 EA', language: 'en' });
    expect(result.neighborhood?.buurt_code).toBe('BU04790603');
    expect(result.language).toBe('en');
  });

  it('flags a crisis as urgent', () => {
    expect(analyseSignal(analyser, { id: 'c', text: 'ik wil niet meer leven' }).urgent).toBe(true);
  });

  it('gives an empty text a sensible empty analysis', () => {
    expect(analyseSignal(analyser, { id: 'e', text: '   ' })).toMatchObject({ language: 'und', domains: [], review: true, neighborhood: null, sentiment: 0, urgent: false });
  });
});

describe('analyseBatch', () => {
  it('keeps input order, clusters the same issue, and passes errors through', () => {
    const lines = analyseBatch(analyser, [
      { id: '1', text: 'de lantaarnpalen in de Vinkenstraat zijn kapot', municipality: 'GM0479' },
      { error: 'malformed JSON' },
      { id: '2', text: 'Vinkenstraat: lantaarnpaal kapot, het is donker', municipality: 'GM0479' },
      { id: '3', text: 'ik voel me eenzaam', municipality: 'GM9999' },
      { id: '4', text: 'x'.repeat(MAX_TEXT_LENGTH + 1) },
      { id: '5', text: '\u0000\u0001\u0002\ufffd\ufffdbinary\u0003\u0004' },
    ]);
    expect(lines.map((l) => l.id)).toEqual(['1', undefined, '2', '3', '4', '5']);
    expect((lines[0] as AnalysisResult).cluster).toBe('c-1');
    expect((lines[2] as AnalysisResult).cluster).toBe('c-1');
    expect(lines[1]).toEqual({ error: 'malformed JSON' });
    expect(lines[3]).toEqual({ id: '3', error: 'unknown municipality GM9999: import its gazetteer first' });
    expect(lines[4]).toEqual({ id: '4', error: `text too long: ${MAX_TEXT_LENGTH + 1} characters, at most ${MAX_TEXT_LENGTH}` });
    expect(lines[5]).toEqual({ id: '5', error: 'text is not readable text (binary data?)' });
  });

  it('is deterministic', () => {
    const inputs = [
      { id: '1', text: 'bus rijdt niet meer door Krommenie' },
      { id: '2', text: 'geen bus meer in krommenie' },
    ];
    expect(analyseBatch(analyser, inputs)).toEqual(analyseBatch(analyser, inputs));
  });
});

describe('parseSignalLine', () => {
  it.each([
    ['{"id":"a","text":"hoi","municipality":"gm0479","postcode":"1507","place":"x","source":"street","language":"nl"}', { id: 'a', text: 'hoi', municipality: 'GM0479', postcode: '1507', place: 'x', source: 'street', language: 'nl' }],
    ['{"id":7,"text":"hoi"}', { id: '7', text: 'hoi', municipality: null, postcode: null, place: null, source: null, language: null }],
    ['not json', { error: 'malformed JSON' }],
    ['[1,2]', { error: 'a line must be a JSON object' }],
    ['{"text":"hoi"}', { error: 'missing "id"' }],
    ['{"id":"a"}', { id: 'a', error: 'missing "text"' }],
    ['{"id":"a","text":42}', { id: 'a', error: '"text" must be a string' }],
    ['{"id":"a","text":"x","place":3}', { id: 'a', error: '"place" must be a string' }],
    ['{"id":"a","text":"x","municipality":"Zaanstad"}', { id: 'a', error: '"municipality" must be a CBS code like GM0453' }],
  ])('%s', (line, expected) => {
    expect(parseSignalLine(line)).toEqual(expected);
  });

  it('takes the default municipality when the line has none', () => {
    expect(parseSignalLine('{"id":"a","text":"x"}', 'GM0453')).toMatchObject({ municipality: 'GM0453' });
    expect(parseSignalLine('{"id":"a","text":"x","municipality":"GM0479"}', 'GM0453')).toMatchObject({ municipality: 'GM0479' });
  });
});
