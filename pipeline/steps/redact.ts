/**
 * Step 1 of the pipeline: replace personal data with typed placeholders (CONTRACTS.md section 5) before anything is
 * kept for analysis or shown to councils. This first version covers the patterns that can be recognised by their
 * shape (e-mail, phone numbers, BSN with the 11-test, IBAN with its checksum, PC6 postcodes, licence plates) and those
 * that need their context (names after an introduction, a relation or a title; a street with a house number; a date
 * near "geboren"). What only looks like personal data stays: amounts, durations, counts, case numbers, a street
 * without a number, a bare PC4, organisation and place names (the gazetteer's names are passed in as `keep`).
 */
import { redactNames, redactAddresses, redactBirthDates } from './redact-context.ts';

export type Placeholder =
  | '[e-mail]'
  | '[telefoon]'
  | '[bsn]'
  | '[iban]'
  | '[postcode]'
  | '[naam]'
  | '[adres]'
  | '[kenteken]'
  | '[geboortedatum]';

export interface RedactOptions {
  /** Names that are never a private person's: places, streets and landmarks of the gazetteer (any case). */
  keep?: ReadonlySet<string>;
  /** Street names (lower case) known to the gazetteer, so "Zuideinde 4" is an address though it lacks -straat. */
  streets?: ReadonlySet<string>;
}

interface Rule {
  placeholder: Placeholder;
  pattern: RegExp;
  /** Extra check on a match, for patterns a shape alone over-matches. */
  accept?: (match: string) => boolean;
}

/** The 14 side codes: L a letter, D a digit. */
const sideCodes = ['LL-DD-DD', 'DD-DD-LL', 'DD-LL-DD', 'LL-DD-LL', 'LL-LL-DD', 'DD-LL-LL', 'DD-LLL-D', 'D-LLL-DD', 'LL-DDD-L', 'L-DDD-LL', 'LLL-DD-L', 'L-DD-LLL', 'D-LL-DDD', 'DDD-LL-D'];

function plateShapes(): RegExp {
  const body = sideCodes.map((code) => code.replace(/L/g, '[A-Z]').replace(/D/g, '\\d')).join('|');
  return new RegExp(`(?<![\\p{L}\\d-])(?:${body})(?![\\p{L}\\d-])`, 'giu');
}

const rules: Rule[] = [
  { placeholder: '[e-mail]', pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu },
  { placeholder: '[iban]', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/gi, accept: validIban },
  // Dutch mobile and landline numbers, with or without +31/0031, spaces, dots, dashes or brackets.
  {
    placeholder: '[telefoon]',
    pattern: /(?<![\p{L}\d+])(?:(?:\+|00)\s?31[\s-]?(?:\(0\)[\s-]?)?|0)[1-9](?:[ .-]{0,3}\d){8}(?![\p{L}\d])/gu,
  },
  // Other international numbers: +country code and 7 to 12 more digits.
  { placeholder: '[telefoon]', pattern: /(?<![\p{L}\d])\+\d{1,3}(?:[ .-]{0,3}\d){7,12}(?![\p{L}\d])/gu },
  { placeholder: '[bsn]', pattern: /(?<!\d)\d{9}(?!\d)|(?<!\d)\d{4}\.\d{2}\.\d{3}(?!\d)/g, accept: (m) => elevenTest(m.replace(/\D/g, '')) },
  { placeholder: '[postcode]', pattern: /\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b/g },
  // Dutch licence plates: the side codes since 1951, three groups with dashes, at least one group of letters.
  { placeholder: '[kenteken]', pattern: plateShapes() },
];

export function redactPersonalData(text: string, options: RedactOptions = {}): string {
  // Context rules first: a date of birth would otherwise be read as digits, an address's number as a count.
  let result = redactBirthDates(text);
  result = redactAddresses(result, options.streets);
  for (const rule of rules) {
    result = result.replace(rule.pattern, (match) => (rule.accept && !rule.accept(match) ? match : rule.placeholder));
  }
  return redactNames(result, options.keep);
}

/** The BSN 11-test: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not 0). */
export function elevenTest(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  sum -= Number(digits[8]);
  return sum !== 0 && sum % 11 === 0;
}

/** ISO 13616 checksum: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
export function validIban(candidate: string): boolean {
  const iban = candidate.replace(/\s/g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
