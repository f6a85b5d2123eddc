import { describe, expect, it } from 'vitest';
import { defaultRetention, parseRetentionInput, retentionCutoffs, retentionFor } from './retention.ts';

describe('retention rules', () => {
  it('takes a municipality’s own whole-day periods within bounds, the defaults otherwise', () => {
    expect(retentionFor({})).toEqual(defaultRetention);
    expect(retentionFor({ retention: { messagesDays: 7 } }, { messagesDays: 60, contactDays: 200 })).toEqual({ messagesDays: 7, contactDays: 200 });
    for (const bad of [0, -1, 1.5, '30', 3651, null]) expect(retentionFor({ retention: { messagesDays: bad, contactDays: bad } })).toEqual(defaultRetention);
    expect(retentionFor({ retention: 'forever' })).toEqual(defaultRetention);
  });

  it('computes the moments before which data goes', () => {
    const now = new Date('2026-11-23T00:00:00Z');
    expect(retentionCutoffs({ messagesDays: 30, contactDays: 365 }, now)).toEqual({
      textBefore: new Date('2026-10-24T00:00:00Z'),
      contactBefore: new Date('2025-11-23T00:00:00Z'),
      erasedBefore: new Date('2026-11-22T00:00:00Z'),
    });
  });

  it('reads an administrator’s form and names each bad field', () => {
    expect(parseRetentionInput({ messagesDays: ' 14 ', contactDays: '730' })).toEqual({ policy: { messagesDays: 14, contactDays: 730 } });
    expect(parseRetentionInput({ messagesDays: '0', contactDays: 'veel' })).toEqual({ errors: { messagesDays: 'days', contactDays: 'days' } });
    expect(parseRetentionInput({ messagesDays: '30', contactDays: '4000' })).toEqual({ errors: { contactDays: 'days' } });
  });
});
