/**
 * Measures the analysis on the labelled sets in this folder, for `npm run bench`: life domains (with the TF-IDF +
 * logistic regression baseline, Signalen's recipe, trained on the same examples), placement, personal data,
 * urgency, clusters and language. The sets are read here, never by the classifier: nothing is tuned on them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseGazetteer } from '../../db/gazetteer/parse.ts';
import { analyseBatch, analyseSignal, type Analyser, type AnalysisResult } from '../analysis/analyse.ts';
import { tfidfWordFeatures, trainDomainClassifier, type DomainClassifier, type LabelledExample } from '../steps/domains.ts';
import { detectLanguage } from '../steps/language.ts';
import type { GazetteerData } from '../steps/neighborhood.ts';
import { redactPersonalData } from '../steps/redact.ts';
import { clusterBatch } from '../steps/cluster.ts';
import { detectCrisis } from '../steps/urgency.ts';
import { adjustedRandIndex, multiLabelScores, normalisedMutualInformation, type LabelScores } from './metrics.ts';

export const evaluationDir = fileURLToPath(new URL('.', import.meta.url));

export interface DevExample extends LabelledExample {
  id: string;
  source?: string;
  municipality?: string;
  place?: string;
  postcode?: string;
  gold_neighborhood: { wijk_code: string; buurt_code: string | null } | null;
  issue?: string;
}

export function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export function gazetteerDataFromCsv(text: string): GazetteerData {
  const parsed = parseGazetteer(text);
  if (!parsed.ok) throw new Error(`bad gazetteer: ${JSON.stringify(parsed.errors)}`);
  return {
    municipalities: parsed.municipalities,
    wijken: parsed.wijken.map((w) => ({ code: w.code, municipality_code: w.municipalityCode, name: w.name })),
    buurten: parsed.buurten.map((b) => ({ code: b.code, wijk_code: b.wijkCode, municipality_code: b.municipalityCode, name: b.name, postcodes: b.postcodes, aliases: b.aliases })),
  };
}

function predictedKeys(classifier: DomainClassifier, text: string, alwaysOne: boolean): string[] {
  const keys = classifier.classify(text).domains.map((d) => d.key);
  if (keys.length > 0 || !alwaysOne) return keys;
  const best = [...classifier.scores(text)].sort((a, b) => b[1] - a[1])[0];
  return best ? [best[0]] : [];
}

export function evaluateDomains(classifier: DomainClassifier, dev: readonly DevExample[], keys: readonly string[], redact: (t: string) => string): LabelScores & { review: number } {
  const predicted = dev.map((d) => predictedKeys(classifier, redact(d.text), false));
  const review = dev.filter((d) => classifier.classify(redact(d.text)).review).length / Math.max(1, dev.length);
  return { ...multiLabelScores(dev.map((d) => d.domains), predicted, keys), review };
}

/** Signalen's recipe: TF-IDF word unigrams and bigrams, one logistic regression per domain, at least one label. */
export function evaluateBaseline(train: readonly LabelledExample[], dev: readonly DevExample[], keys: readonly string[], redact: (t: string) => string): LabelScores {
  const baseline = trainDomainClassifier(train, keys, { recipe: { featurize: tfidfWordFeatures(train), positiveWeight: 1 }, calibrationFolds: 0 });
  const predicted = dev.map((d) => predictedKeys(baseline, redact(d.text), true));
  return multiLabelScores(dev.map((d) => d.domains), predicted, keys);
}

export function evaluatePlacement(analyser: Analyser, dev: readonly DevExample[]): { wijk: number; buurt: number; wijkPlaced: number; n: number; placed: number } {
  let wijk = 0;
  let buurt = 0;
  let wijkPlaced = 0;
  let placed = 0;
  for (const d of dev) {
    const result = analyseSignal(analyser, { id: d.id, text: d.text, place: d.place, postcode: d.postcode, municipality: d.municipality });
    const got = result.neighborhood;
    const gold = d.gold_neighborhood;
    const wijkOk = (got?.wijk_code ?? null) === (gold?.wijk_code ?? null);
    if (wijkOk) wijk++;
    if (wijkOk && (got?.buurt_code ?? null) === (gold?.buurt_code ?? null)) buurt++;
    if (gold) {
      placed++;
      if (wijkOk) wijkPlaced++;
    }
  }
  return { wijk: wijk / dev.length, buurt: buurt / dev.length, wijkPlaced: wijkPlaced / Math.max(1, placed), n: dev.length, placed };
}

export interface PiiExample {
  text: string;
  pii: string[];
  keep: string[];
}

/** Recall: personal data no longer in the text. Keep precision: look-alikes still there. */
export function evaluatePii(examples: readonly PiiExample[], redact: (t: string) => string): { recall: number; keepPrecision: number; pii: number; keep: number; missed: string[] } {
  let found = 0;
  let kept = 0;
  const missed: string[] = [];
  let piiTotal = 0;
  let keepTotal = 0;
  for (const e of examples) {
    const out = redact(e.text);
    for (const p of e.pii) {
      piiTotal++;
      if (out.includes(p)) missed.push(p);
      else found++;
    }
    for (const k of e.keep) {
      keepTotal++;
      if (out.includes(k)) kept++;
      else missed.push(`(kept wrongly redacted) ${k}`);
    }
  }
  return { recall: found / Math.max(1, piiTotal), keepPrecision: kept / Math.max(1, keepTotal), pii: piiTotal, keep: keepTotal, missed };
}

export function evaluateUrgency(examples: readonly { text: string; urgent: boolean }[]): { recall: number; falsePositiveRate: number; positives: number; negatives: number } {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  let negatives = 0;
  for (const e of examples) {
    const urgent = detectCrisis(e.text).urgent;
    if (e.urgent) {
      positives++;
      if (urgent) tp++;
    } else {
      negatives++;
      if (urgent) fp++;
    }
  }
  return { recall: tp / Math.max(1, positives), falsePositiveRate: fp / Math.max(1, negatives), positives, negatives };
}

/** Clusters of the dev set against its `issue` labels; unlabelled signals are their own issue. */
export function evaluateDevClusters(analyser: Analyser, dev: readonly DevExample[]): { ari: number; nmi: number; n: number } {
  const results = analyseBatch(analyser, dev.map((d) => ({ id: d.id, text: d.text, place: d.place, postcode: d.postcode, municipality: d.municipality })));
  const gold = dev.map((d) => d.issue ?? `single:${d.id}`);
  const predicted = results.map((r, i) => ((r as AnalysisResult).cluster ?? `single:${dev[i]?.id ?? i}`));
  return { ari: adjustedRandIndex(gold, predicted), nmi: normalisedMutualInformation(gold, predicted), n: dev.length };
}

export interface Sib200Row {
  topic: string;
  text: string;
}

export function readSib200(dir: string, lang: 'nld_Latn' | 'eng_Latn', split = 'test'): Sib200Row[] {
  return readFileSync(`${dir}/${lang}/${split}.tsv`, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [, topic = '', text = ''] = l.split('\t');
      return { topic, text };
    });
}

/** Topic clusters on real text: all sentences in one group, so only the wording decides. */
export function evaluateSib200Clusters(rows: readonly Sib200Row[]): { ari: number; nmi: number; n: number } {
  const predicted = clusterBatch(rows.map((r) => ({ text: r.text, domain: 'all', municipality: null }))).map((c, i) => c ?? `single:${i}`);
  const gold = rows.map((r) => r.topic);
  return { ari: adjustedRandIndex(gold, predicted), nmi: normalisedMutualInformation(gold, predicted), n: rows.length };
}

export function languageAccuracy(rows: readonly Sib200Row[], expected: string): number {
  return rows.filter((r) => detectLanguage(r.text) === expected).length / Math.max(1, rows.length);
}

export const defaultRedact = (keep: ReadonlySet<string>, streets: ReadonlySet<string>) => (text: string) => redactPersonalData(text, { keep, streets });
