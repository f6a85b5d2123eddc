import { describe, expect, it } from 'vitest';
import { elevenTest, redactPersonalData, validIban } from './redact.ts';

describe('redactPersonalData', () => {
  it.each([
    ['Mail me op jan.devries@example.nl graag', 'Mail me op [e-mail] graag'],
    ['bel 06-12345678 of 0612345678', 'bel [telefoon] of [telefoon]'],
    ['mijn nummer is +31 6 1234 5678.', 'mijn nummer is [telefoon].'],
    ['vast: 075 - 123 45 67', 'vast: [telefoon]'],
    ['0031612345678', '[telefoon]'],
    ['call +44 20 7946 0958', 'call [telefoon]'],
    ['mijn bsn is 111222333', 'mijn bsn is [bsn]'],
    ['IBAN NL91 ABNA 0417 1643 00 voor de huur', 'IBAN [iban] voor de huur'],
    ['ik woon op 1503AB', 'ik woon op [postcode]'],
    ['ik woon op 1503 ab', 'ik woon op 1503 ab'], // lower case letters are not a written PC6 here; placement reads it
  ])('%s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });

  it('keeps what only looks like personal data', () => {
    const text = 'Ik wacht al 123456789 dagen, nee grapje: 3 maanden, zaaknummer 2024-000123, huur 850 euro, postcode 1503';
    // 123456789 fails the 11-test, so it is not a BSN.
    expect(redactPersonalData(text)).toBe(text);
  });

  it('keeps an IBAN-shaped string whose checksum is wrong', () => {
    expect(redactPersonalData('code NL91ABNA0417164301')).toBe('code NL91ABNA0417164301');
  });
});

describe('checks', () => {
  it('eleven test', () => {
    expect(elevenTest('111222333')).toBe(true);
    expect(elevenTest('123456789')).toBe(false);
    expect(elevenTest('000000000')).toBe(false);
  });
  it('iban checksum', () => {
    expect(validIban('NL91ABNA0417164300')).toBe(true);
    expect(validIban('NL91ABNA0417164301')).toBe(false);
  });
});
