import { describe, expect, it } from 'vitest';
import { sentiment } from './sentiment.ts';

describe('sentiment', () => {
  it.each([
    'Heel fijn dat de gemeente zo snel heeft geholpen, dank je wel!',
    'De nieuwe speeltuin is geweldig, de kinderen zijn blij',
    'Thank you, the council fixed it quickly, great service',
    'tevreden over de hulp 👍',
  ])('positive: %s', (text) => {
    expect(sentiment(text)).toBeGreaterThan(0.3);
  });

  it.each([
    'Verschrikkelijk, al maanden schimmel en niemand doet iets',
    'ik ben boos en teleurgesteld over de wachtlijst',
    'The street is dirty and dangerous, terrible',
    'belachelijk hoe lang dit duurt 😡',
    'niet goed geregeld',
  ])('negative: %s', (text) => {
    expect(sentiment(text)).toBeLessThan(-0.2);
  });

  it('stays within −1..1 and is 0 for neutral text', () => {
    expect(sentiment('De bus rijdt om acht uur.')).toBe(0);
    expect(sentiment('slecht '.repeat(200))).toBeGreaterThanOrEqual(-1);
    expect(sentiment('goed '.repeat(200))).toBeLessThanOrEqual(1);
  });

  it('negation turns the tone', () => {
    expect(sentiment('het is goed')).toBeGreaterThan(0);
    expect(sentiment('het is niet goed')).toBeLessThan(0);
  });
});
