import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { languageAccuracy, readSib200 } from '../evaluation/evaluate.ts';
import { detectLanguage } from './language.ts';

const sibDir = fileURLToPath(new URL('../../../shared/data/sib200', import.meta.url));
// ../shared sits beside every clone, CI's included; a developer without it skips this one check, CI never does.
const sibAvailable = existsSync(sibDir);
if (!sibAvailable && process.env.CI === 'true') throw new Error(`${sibDir} is missing: CI runs with shared/ beside the clone`);

describe('detectLanguage', () => {
  it.each([
    ['De lift in onze flat is al twee weken kapot en niemand doet er iets aan', 'nl'],
    ['ik wacht al een jaar op hulp van het wijkteam', 'nl'],
    ['mn zoontje krijgt gwn geen plek bij de opvang', 'nl'],
    ['The street lights on our road have been out for weeks', 'en'],
    ['i cant pay my energy bill and nobody helps', 'en'],
    ['Ich habe keine Wohnung und die Miete ist zu hoch', 'de'],
    ['Je ne trouve pas de logement pour ma famille', 'fr'],
    ['Ev bulamıyorum ve çok zor bir durumdayım', 'tr'],
    ['لا أستطيع دفع الإيجار', 'ar'],
  ])('%s → %s', (text, expected) => {
    expect(detectLanguage(text)).toBe(expected);
  });

  it("short or empty messages fall back on the conversation's language, else und", () => {
    expect(detectLanguage('ok', 'en')).toBe('en');
    expect(detectLanguage('👍', 'nl')).toBe('nl');
    expect(detectLanguage('👍')).toBe('und');
    expect(detectLanguage('')).toBe('und');
    expect(detectLanguage('[naam] [telefoon]', 'nl')).toBe('nl');
  });

  it.skipIf(!sibAvailable)('tells Dutch from English on SIB-200 (real translated sentences) with at least 98 % accuracy', () => {
    for (const split of ['dev', 'test']) {
      expect(languageAccuracy(readSib200(sibDir, 'nld_Latn', split), 'nl')).toBeGreaterThanOrEqual(0.98);
      expect(languageAccuracy(readSib200(sibDir, 'eng_Latn', split), 'en')).toBeGreaterThanOrEqual(0.98);
    }
  });
});
