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

describe('names, addresses, licence plates and dates of birth', () => {
  const keep = new Set(['peperstraat', 'poelenburg', 'zaandam', 'krommenie', 'darwinpark', 'inverdan']);
  const streets = new Set(['zuideinde', 'dorpsstraat']);
  const redact = (text: string) => redactPersonalData(text, { keep, streets });

  it.each([
    ['Hoi, ik ben Sanne en ik woon hier', 'Hoi, ik ben [naam] en ik woon hier'],
    ['mijn naam is anna de vries', 'mijn naam is [naam]'],
    ['Ik heet Youssef El Amrani.', 'Ik heet [naam].'],
    ['I am Olivia and I need help', 'I am [naam] and I need help'],
    ['Groetjes, Marieke', 'Groetjes, [naam]'],
    ['met vriendelijke groet\nPeter de Groot', 'met vriendelijke groet\n[naam]'],
    ['bedankt alvast, groetjes fatima', 'bedankt alvast, groetjes [naam]'],
    ['Mijn buurvrouw Khadija helpt me', 'Mijn buurvrouw [naam] helpt me'],
    ['mijn buurvrouw fatima helpt me', 'mijn buurvrouw [naam] helpt me'],
    ['meneer De Vries van het loket', 'meneer [naam] van het loket'],
    ['ik sprak mevrouw van der Berg', 'ik sprak mevrouw [naam]'],
    ['Mohammed van hiernaast heeft het gemeld', '[naam] van hiernaast heeft het gemeld'],
  ])('names: %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    'ik ben moe en boos',
    'mijn buurvrouw heeft geen hulp',
    'Ik ben Marokkaans en spreek weinig Nederlands',
    'ik ben bij de Voedselbank geweest en bij Albert Heijn',
    'ik ben Zaandam zat', // a place named in the gazetteer is kept
    'De Gemeente Zaanstad reageert niet',
    'groeten uit Krommenie',
    'Mijn moeder woont in Poelenburg',
  ])('keeps what is no private name: %s', (text) => {
    expect(redact(text)).toBe(text);
  });

  it.each([
    ['we wonen op de Peperstraat 14 in Zaandam', 'we wonen op de [adres] in Zaandam'],
    ['adres: Vincent van Goghweg 88-2', 'adres: [adres]'],
    ['Rozengracht 7a heeft lekkage', '[adres] heeft lekkage'],
    ['wij wonen aan het Zuideinde 45', 'wij wonen aan het [adres]'],
    ['peperstraat 3 hs', '[adres]'],
  ])('addresses: %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    'De Peperstraat is al maanden opgebroken',
    'Ik woon al 12 jaar in de Peperstraat',
    'In de Dorpsstraat 3 keer ingebroken',
    'in de straat 4 kapotte lampen',
    'Peperstraat 2 weken geen licht',
  ])('keeps a street without a house number: %s', (text) => {
    expect(redact(text)).toBe(text);
  });

  it.each([
    ['kenteken 56-KLS-3 staat fout', 'kenteken [kenteken] staat fout'],
    ['busje GB-123-X voor de deur', 'busje [kenteken] voor de deur'],
    ['auto XX-99-XX en 99-XX-99', 'auto [kenteken] en [kenteken]'],
  ])('licence plates: %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each(['zaaknummer 2025-004512', 'afspraak 12-05-2024', 'bus 69 om 7.15 uur', 'groep 8-A', 'WK-12'])('keeps codes that are no plates: %s', (text) => {
    expect(redact(text)).toBe(text);
  });

  it.each([
    ['mijn zoon is geboren op 14-02-2012', 'mijn zoon is geboren op [geboortedatum]'],
    ['geboortedatum: 3 maart 1958', 'geboortedatum: [geboortedatum]'],
    ['born on May 3, 1990 in Zaandam', 'born on [geboortedatum] in Zaandam'],
    ['geb. 1-1-1970', 'geb. [geboortedatum]'],
  ])('dates of birth: %s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it('keeps other dates, amounts, durations, counts and a bare PC4', () => {
    const text = 'Op 12-05-2024 had ik een afspraak, ik betaal 850 euro per maand, al 6 weken, 3 kinderen, postcode 1507';
    expect(redact(text)).toBe(text);
  });
});
