/**
 * Life domains (CONTRACTS.md section 6): a multi-label classifier trained in-process at start-up on the labelled
 * examples (section 8) and the domain lexicon. One logistic regression per domain over four feature blocks: words,
 * character 3- and 4-grams inside words (typos and compounds), lexicon hits (words the examples never showed) and
 * pairs of neighbouring content words ("eigen risico"). Pairs earned their place once the training files doubled
 * (cross-validation on them 0.813 → 0.820 micro-F1); character 5-grams, word stems, a heavier lexicon block and other
 * L2 strengths did not. Scores are calibrated with Platt scaling on out-of-fold predictions, so a confidence of 0.8 is right
 * about four times in five on unseen text; each domain's cut is the one with the best out-of-fold F1 on the training
 * files (between 0.3 and 0.6), and below the review threshold a person looks.
 */
import { compileLexicon, domainLexicon, joinedHits, lexiconHits } from './domain-lexicon.ts';
import { dot, fitPlatt, sigmoid, trainBinary, type BinaryModel, type Platt, type SparseVector, type TrainOptions } from './logistic.ts';
import { stopWords, words } from './text.ts';

export interface LabelledExample {
  text: string;
  domains: readonly string[];
}

export interface DomainScore {
  key: string;
  confidence: number;
}

export interface DomainResult {
  domains: DomainScore[];
  review: boolean;
}

export interface DomainClassifierOptions {
  /** Assign a domain from this calibrated confidence. */
  threshold?: number;
  /** Below this confidence for the best domain, or with a domain near the threshold, a person reviews. */
  reviewBelow?: number;
  lexicon?: Record<string, readonly string[]>;
  /** Folds for the out-of-fold calibration; 0 skips calibration (tests that only need a model). */
  calibrationFolds?: number;
}

export interface DomainClassifier {
  readonly keys: readonly string[];
  classify(text: string): DomainResult;
  /** Calibrated confidence per domain, unsorted: for evaluation. */
  scores(text: string): Map<string, number>;
}

type Featurizer = (text: string) => Map<string, number>;

const gramCache = new Map<string, readonly string[]>();

/** Character 3- and 4-grams of a word with its boundaries, cached: words repeat far more than they vary. */
function charGrams(word: string): readonly string[] {
  const cached = gramCache.get(word);
  if (cached) return cached;
  const padded = `<${word}>`;
  const grams: string[] = [];
  for (let n = 3; n <= 4; n++) for (let s = 0; s + n <= padded.length; s++) grams.push(`c:${padded.slice(s, s + n)}`);
  if (gramCache.size > 200_000) gramCache.clear();
  gramCache.set(word, grams);
  return grams;
}

/** The four feature blocks, each scaled to unit length so no block drowns the others. */
export function richFeatures(lexicon: Record<string, readonly string[]> = domainLexicon): Featurizer {
  const compiled = compileLexicon(lexicon);
  return (text) => {
    const all = words(text).filter((w) => !w.startsWith('['));
    const content = all.filter((w) => w.length > 1 && !stopWords.has(w) && !/^\d+$/.test(w));
    const wordBlock = new Map<string, number>();
    const charBlock = new Map<string, number>();
    const lexBlock = new Map<string, number>();
    const pairBlock = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string, v = 1) => m.set(k, (m.get(k) ?? 0) + v);
    content.forEach((w, i) => {
      bump(wordBlock, `w:${w}`);
      for (const gram of charGrams(w)) bump(charBlock, gram);
      // Neighbouring content words ("eigen risico", "geen begeleiding"): what a word means next to another.
      if (i > 0) bump(pairBlock, `p:${content[i - 1] ?? ''}_${w}`);
    });
    // Lexicon on every word (function words included: "alleen", "niemand") and on joined neighbours ("eigen bijdrage").
    for (let i = 0; i < all.length; i++) {
      const w = all[i] ?? '';
      for (const d of lexiconHits(compiled, w)) bump(lexBlock, `l:${d}`);
      const next = all[i + 1];
      if (next !== undefined) for (const d of joinedHits(compiled, w, next)) bump(lexBlock, `l:${d}`);
    }
    // Negated help ("geen hulp") and waiting are cues the words alone carry weakly.
    const features = new Map<string, number>();
    for (const [block, weight] of [
      [wordBlock, 1],
      [charBlock, 1],
      [lexBlock, 1.5],
      [pairBlock, 0.7],
    ] as const) {
      let norm = 0;
      for (const v of block.values()) norm += v * v;
      norm = Math.sqrt(norm) || 1;
      for (const [k, v] of block) features.set(k, (weight * v) / norm);
    }
    return features;
  };
}

/** Signalen's recipe for the baseline: TF-IDF over lower-cased word unigrams and bigrams, nothing else. */
export function tfidfWordFeatures(examples: readonly LabelledExample[]): Featurizer {
  const tokens = (text: string) => {
    const ws = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
    return [...ws, ...ws.slice(1).map((w, i) => `${ws[i] ?? ''} ${w}`)];
  };
  const df = new Map<string, number>();
  for (const e of examples) for (const t of new Set(tokens(e.text))) df.set(t, (df.get(t) ?? 0) + 1);
  const n = examples.length;
  return (text) => {
    const tf = new Map<string, number>();
    for (const t of tokens(text)) tf.set(t, (tf.get(t) ?? 0) + 1);
    const out = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of tf) {
      const idf = Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1;
      const v = c * idf;
      out.set(t, v);
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, v] of out) out.set(t, v / norm);
    return out;
  };
}

class Vocabulary {
  readonly index = new Map<string, number>();
  add(features: Map<string, number>): void {
    for (const k of features.keys()) if (!this.index.has(k)) this.index.set(k, this.index.size);
  }
  vector(features: Map<string, number>): SparseVector {
    const index = new Int32Array(features.size);
    const value = new Float64Array(features.size);
    let n = 0;
    for (const [k, v] of features) {
      const i = this.index.get(k);
      if (i === undefined) continue;
      index[n] = i;
      value[n++] = v;
    }
    return { index: index.subarray(0, n), value: value.subarray(0, n) };
  }
}

interface Trained {
  vocabulary: Vocabulary;
  models: Map<string, BinaryModel>;
}

function trainAll(
  featurize: Featurizer,
  examples: readonly LabelledExample[],
  keys: readonly string[],
  positiveWeight: number | 'balanced',
  cache?: Map<string, Map<string, number>>,
  train?: Omit<TrainOptions, 'positiveWeight'>,
): Trained {
  const vocabulary = new Vocabulary();
  const feats = examples.map((e) => cache?.get(e.text) ?? featurize(e.text));
  for (const f of feats) vocabulary.add(f);
  const xs = feats.map((f) => vocabulary.vector(f));
  const models = new Map<string, BinaryModel>();
  for (const key of keys) {
    models.set(key, trainBinary(xs, examples.map((e) => e.domains.includes(key)), vocabulary.index.size, { ...train, positiveWeight }));
  }
  return { vocabulary, models };
}

export interface ModelRecipe {
  featurize: Featurizer;
  positiveWeight: number | 'balanced';
  train?: Omit<TrainOptions, 'positiveWeight'>;
}

/** Trains the classifier. Deterministic: the same examples give the same model. */
export function trainDomainClassifier(
  examples: readonly LabelledExample[],
  keys: readonly string[],
  options: DomainClassifierOptions & { recipe?: ModelRecipe } = {},
): DomainClassifier {
  const threshold = options.threshold ?? 0.5;
  const reviewBelow = options.reviewBelow ?? 0.6;
  // L2 strength chosen by 5-fold cross-validation on the training files (not on the development set).
  const recipe = options.recipe ?? { featurize: richFeatures(options.lexicon), positiveWeight: 'balanced', train: { l2: 0.01 } };
  const cache = new Map(examples.map((e) => [e.text, recipe.featurize(e.text)]));
  const trained = trainAll(recipe.featurize, examples, keys, recipe.positiveWeight, cache, recipe.train);

  // Out-of-fold scores: each example scored by a model that never saw it, then one Platt curve per domain.
  const folds = options.calibrationFolds ?? 5;
  const platt = new Map<string, Platt>();
  // Per domain, the threshold that gave the best F1 out of fold: rare domains with few examples score lower.
  const thresholds = new Map<string, number>();
  if (folds > 1 && examples.length >= folds * 4) {
    const oof = new Map<string, number[]>(keys.map((k) => [k, new Array<number>(examples.length).fill(0)]));
    for (let f = 0; f < folds; f++) {
      const train = examples.filter((_e, i) => i % folds !== f);
      const part = trainAll(recipe.featurize, train, keys, recipe.positiveWeight, cache, recipe.train);
      examples.forEach((e, i) => {
        if (i % folds !== f) return;
        const x = part.vocabulary.vector(cache.get(e.text) ?? recipe.featurize(e.text));
        for (const key of keys) {
          const model = part.models.get(key);
          const list = oof.get(key);
          if (model && list) list[i] = dot(model, x);
        }
      });
    }
    for (const key of keys) {
      const labels = examples.map((e) => e.domains.includes(key));
      const fitted = fitPlatt(oof.get(key) ?? [], labels);
      platt.set(key, fitted);
      if (options.threshold === undefined) {
        thresholds.set(key, bestThreshold((oof.get(key) ?? []).map((z) => sigmoid(fitted.a * z + fitted.b)), labels));
      }
    }
  }

  // All domains' weights interleaved by feature, so one pass over a text's features scores every domain.
  const k = keys.length;
  const dims = trained.vocabulary.index.size;
  const weights = new Float64Array(dims * k);
  const biases = new Float64Array(k);
  keys.forEach((key, d) => {
    const model = trained.models.get(key);
    if (!model) return;
    biases[d] = model.bias;
    for (let j = 0; j < dims; j++) weights[j * k + d] = model.weights[j] ?? 0;
  });
  const calibration = keys.map((key) => platt.get(key));

  const scores = (text: string): Map<string, number> => {
    const z = Float64Array.from(biases);
    // Letters alone ("hallo", "bel") are no evidence of a domain: without a known word or lexicon hit, nothing.
    let known = false;
    for (const [feature, value] of recipe.featurize(text)) {
      const j = trained.vocabulary.index.get(feature);
      if (j === undefined) continue;
      if (!known && !feature.startsWith('c:')) known = true;
      const base = j * k;
      for (let d = 0; d < k; d++) z[d] = (z[d] ?? 0) + (weights[base + d] ?? 0) * value;
    }
    const out = new Map<string, number>();
    keys.forEach((key, d) => {
      const p = calibration[d];
      const zd = z[d] ?? 0;
      out.set(key, !known ? 0 : p ? sigmoid(p.a * zd + p.b) : sigmoid(zd));
    });
    return out;
  };

  return {
    keys,
    scores,
    classify(text) {
      const ranked = [...scores(text)].map(([key, confidence]) => ({ key, confidence: round(confidence) })).sort((a, b) => b.confidence - a.confidence || a.key.localeCompare(b.key));
      const cut = (key: string) => thresholds.get(key) ?? threshold;
      const chosen = ranked.filter((d) => d.confidence >= cut(d.key)).slice(0, 4);
      const best = ranked[0];
      // Nothing sure enough: offer the best guess, but a person decides.
      if (chosen.length === 0 && best && best.confidence >= cut(best.key) / 2) return { domains: [best], review: true };
      const unsure = ranked.some((d) => d.confidence >= cut(d.key) - 0.12 && d.confidence < cut(d.key) + 0.12);
      const review = chosen.length === 0 || (chosen[0]?.confidence ?? 0) < reviewBelow || unsure;
      return { domains: chosen, review };
    },
  };
}

/**
 * The cut between 0.3 and 0.6 with the best F1 on out-of-fold probabilities; ties go to the cut nearest 0.5, so a
 * flat stretch does not drag the threshold to an edge.
 */
export function bestThreshold(probabilities: readonly number[], labels: readonly boolean[]): number {
  let best = 0.5;
  let bestF1 = -1;
  for (let t = 0.3; t <= 0.6001; t += 0.025) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    probabilities.forEach((p, i) => {
      const gold = labels[i] === true;
      if (p >= t) {
        if (gold) tp++;
        else fp++;
      } else if (gold) fn++;
    });
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    if (f1 > bestF1 + 1e-9 || (Math.abs(f1 - bestF1) <= 1e-9 && Math.abs(t - 0.5) < Math.abs(best - 0.5))) {
      bestF1 = f1;
      best = Math.round(t * 1000) / 1000;
    }
  }
  return best;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
