import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, multiLabelScores, normalisedMutualInformation } from './metrics.ts';

describe('metrics', () => {
  it('multi-label micro and macro F1 and per-label precision and recall', () => {
    const s = multiLabelScores([['a'], ['a', 'b'], ['b']], [['a'], ['a'], ['a']], ['a', 'b']);
    expect(s.micro.precision).toBeCloseTo(2 / 3);
    expect(s.micro.recall).toBeCloseTo(2 / 4);
    expect(s.perLabel.a).toEqual({ precision: 2 / 3, recall: 1, f1: 0.8, support: 2 });
    expect(s.perLabel.b).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(s.macroF1).toBeCloseTo(0.4);
  });

  it('ARI and NMI: 1 for the same partition under other names, low for an unrelated one', () => {
    const gold = ['x', 'x', 'y', 'y', 'z', 'z'];
    expect(adjustedRandIndex(gold, ['1', '1', '2', '2', '3', '3'])).toBeCloseTo(1);
    expect(normalisedMutualInformation(gold, ['1', '1', '2', '2', '3', '3'])).toBeCloseTo(1);
    expect(adjustedRandIndex(gold, ['1', '2', '3', '1', '2', '3'])).toBeLessThan(0.1);
    expect(normalisedMutualInformation(gold, ['1', '1', '1', '1', '1', '1'])).toBeCloseTo(0);
  });
});
