/**
 * One-vs-rest logistic regression on sparse vectors, and Platt scaling. Written out here rather than taken from a
 * library: the math is thirty lines, it trains on a few hundred examples in well under a second at start-up, it is
 * deterministic (no random init, fixed order), and `natural`'s classifiers are single-label and much slower.
 */

/** Feature indexes with their values. */
export interface SparseVector {
  index: Int32Array;
  value: Float64Array;
}

export interface BinaryModel {
  weights: Float64Array;
  bias: number;
}

export interface TrainOptions {
  epochs?: number;
  /** L2 strength per example. */
  l2?: number;
  learningRate?: number;
  /** Weight of a positive example relative to a negative one (class imbalance); 1 for none. */
  positiveWeight?: number | 'balanced';
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function dot(model: BinaryModel, x: SparseVector): number {
  let z = model.bias;
  for (let i = 0; i < x.index.length; i++) z += (model.weights[x.index[i] ?? 0] ?? 0) * (x.value[i] ?? 0);
  return z;
}

/** AdaGrad on the log loss; examples visited in a fixed order so training is reproducible. */
export function trainBinary(xs: readonly SparseVector[], ys: readonly boolean[], dims: number, options: TrainOptions = {}): BinaryModel {
  const epochs = options.epochs ?? 40;
  const l2 = options.l2 ?? 1e-4;
  const rate = options.learningRate ?? 0.5;
  const positives = ys.filter(Boolean).length;
  const positiveWeight =
    options.positiveWeight === 'balanced' ? Math.min(4, Math.max(1, (ys.length - positives) / Math.max(1, positives))) : (options.positiveWeight ?? 1);
  const weights = new Float64Array(dims);
  const grad2 = new Float64Array(dims).fill(1e-8);
  let bias = 0;
  let biasGrad2 = 1e-8;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let n = 0; n < xs.length; n++) {
      const x = xs[n];
      if (!x) continue;
      const y = ys[n] === true ? 1 : 0;
      const p = sigmoid(dot({ weights, bias }, x));
      const g = (p - y) * (y === 1 ? positiveWeight : 1);
      for (let i = 0; i < x.index.length; i++) {
        const j = x.index[i] ?? 0;
        const gj = g * (x.value[i] ?? 0) + l2 * (weights[j] ?? 0);
        grad2[j] = (grad2[j] ?? 0) + gj * gj;
        weights[j] = (weights[j] ?? 0) - (rate * gj) / Math.sqrt(grad2[j] ?? 1);
      }
      biasGrad2 += g * g;
      bias -= (rate * g) / Math.sqrt(biasGrad2);
    }
  }
  return { weights, bias };
}

/** Platt scaling: p = sigmoid(a·score + b), fitted on held-out scores so the output means what it says. */
export interface Platt {
  a: number;
  b: number;
}

export function fitPlatt(scores: readonly number[], labels: readonly boolean[]): Platt {
  // Platt's smoothed targets keep a and b finite when the held-out scores separate the classes perfectly.
  const pos = labels.filter(Boolean).length;
  const neg = labels.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 300; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i] ?? 0;
      const t = labels[i] === true ? hi : lo;
      const p = sigmoid(a * s + b);
      const w = p * (1 - p);
      ga += (p - t) * s;
      gb += p - t;
      haa += w * s * s;
      hab += w * s;
      hbb += w;
    }
    // Newton step on the 2×2 Hessian.
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}
