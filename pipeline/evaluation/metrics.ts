/** Scores for the benchmark: multi-label F1, and agreement between two clusterings (ARI, NMI). */

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export interface LabelScores {
  micro: { precision: number; recall: number; f1: number };
  macroF1: number;
  perLabel: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function multiLabelScores(gold: readonly (readonly string[])[], predicted: readonly (readonly string[])[], labels: readonly string[]): LabelScores {
  const counts = new Map<string, Counts>(labels.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  gold.forEach((g, i) => {
    const p = predicted[i] ?? [];
    for (const label of labels) {
      const c = counts.get(label);
      if (!c) continue;
      const inGold = g.includes(label);
      const inPred = p.includes(label);
      if (inGold && inPred) c.tp++;
      else if (inPred) c.fp++;
      else if (inGold) c.fn++;
    }
  });
  const total = { tp: 0, fp: 0, fn: 0 };
  const perLabel: LabelScores['perLabel'] = {};
  for (const [label, c] of counts) {
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
    const precision = ratio(c.tp, c.tp + c.fp);
    const recall = ratio(c.tp, c.tp + c.fn);
    perLabel[label] = { precision, recall, f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn), support: c.tp + c.fn };
  }
  const precision = ratio(total.tp, total.tp + total.fp);
  const recall = ratio(total.tp, total.tp + total.fn);
  const f1s = Object.values(perLabel).map((s) => s.f1);
  return {
    micro: { precision, recall, f1: ratio(2 * precision * recall, precision + recall) },
    macroF1: ratio(
      f1s.reduce((a, b) => a + b, 0),
      f1s.length,
    ),
    perLabel,
  };
}

function contingency(a: readonly string[], b: readonly string[]): { table: Map<string, number>; rows: Map<string, number>; cols: Map<string, number> } {
  const table = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  a.forEach((x, i) => {
    const y = b[i] ?? '';
    table.set(`${x}\u0000${y}`, (table.get(`${x}\u0000${y}`) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  });
  return { table, rows, cols };
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Adjusted Rand index: 1 for identical clusterings, about 0 for chance agreement. */
export function adjustedRandIndex(a: readonly string[], b: readonly string[]): number {
  const { table, rows, cols } = contingency(a, b);
  let index = 0;
  for (const n of table.values()) index += pairs(n);
  let sumRows = 0;
  for (const n of rows.values()) sumRows += pairs(n);
  let sumCols = 0;
  for (const n of cols.values()) sumCols += pairs(n);
  const expected = ratio(sumRows * sumCols, pairs(a.length));
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/** Normalised mutual information (arithmetic mean of the entropies). */
export function normalisedMutualInformation(a: readonly string[], b: readonly string[]): number {
  const n = a.length;
  const { table, rows, cols } = contingency(a, b);
  const entropy = (m: Map<string, number>) => {
    let h = 0;
    for (const c of m.values()) h -= (c / n) * Math.log(c / n);
    return h;
  };
  let mi = 0;
  for (const [key, c] of table) {
    const [x, y] = key.split('\u0000');
    mi += (c / n) * Math.log((c * n) / ((rows.get(x ?? '') ?? 1) * (cols.get(y ?? '') ?? 1)));
  }
  const hA = entropy(rows);
  const hB = entropy(cols);
  return hA + hB === 0 ? 1 : (2 * mi) / (hA + hB);
}
