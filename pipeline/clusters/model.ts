/**
 * Live clusters (issue 4, step 6): the pure part. A signal arrives on its own, so the IDF cannot come from its batch
 * as in `clusterBatch`; it comes from a fixed reference corpus (the training texts), where words every resident uses
 * about a domain weigh little and rare words (a street, a provider, a school) weigh most. Vectors, similarity and
 * threshold are the batch clustering's own (pipeline/steps/cluster.ts), so batch and live agree on what "similar" is.
 */
import {
  addToCentroid,
  bestCentroid,
  centroidSimilarity,
  CLUSTER_THRESHOLD,
  clusterTerms,
  emptyCentroid,
  stemWords,
  termVector,
  type Centroid,
  type TermVector,
} from '../steps/cluster.ts';
import type { ClusterCentroid, ClusterTrend } from '../../db/tables/cluster.table.ts';
import { loadTrainingExamples } from '../training/examples.ts';

export type { ClusterTrend };

/** Terms kept in a stored centroid: the heaviest, so a row stays small however many signals join. */
export const MAX_CENTROID_TERMS = 60;

export type Idf = (term: string) => number;

/** IDF from a corpus of texts; a term never seen weighs as much as one seen once. */
export function idfFrom(texts: Iterable<string>): Idf {
  const df = new Map<string, number>();
  let n = 0;
  for (const text of texts) {
    n++;
    for (const t of new Set(clusterTerms(text))) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const unseen = Math.log((n + 2) / 1);
  return (t) => {
    const d = df.get(t);
    return d === undefined ? unseen : Math.log((n + 2) / (d + 1));
  };
}

let reference: Idf | undefined;

/** The reference IDF of the live pipeline: the training texts (pipeline/training), loaded once per process. */
export function referenceIdf(): Idf {
  reference ??= idfFrom(loadTrainingExamples().map((e) => e.text));
  return reference;
}

/** A signal's vector for live clustering: redacted text plus place, weighted by the reference IDF. */
export function signalVector(textRedacted: string, place: string | null, idf: Idf = referenceIdf()): TermVector {
  return termVector(clusterTerms(textRedacted, place), idf);
}

/** What a clusters row stores of its centroid (jsonb): the heaviest terms and the words they stand for. */
export type StoredCentroid = ClusterCentroid;

export function centroidFromStored(stored: StoredCentroid): Centroid {
  const c = emptyCentroid();
  for (const [t, w] of Object.entries(stored.terms)) {
    c.sum.set(t, w);
    c.norm2 += w * w;
  }
  return c;
}

/** Adds a signal to a stored centroid and keeps the heaviest terms: a new StoredCentroid, the input untouched. */
export function joinCentroid(stored: StoredCentroid, v: TermVector, text: string, maxTerms = MAX_CENTROID_TERMS): StoredCentroid {
  const c = centroidFromStored(stored);
  addToCentroid(c, v);
  const kept = [...c.sum].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxTerms);
  const fresh = stemWords(text);
  const words: Record<string, string> = {};
  const terms: Record<string, number> = {};
  for (const [t, w] of kept) {
    terms[t] = Math.round(w * 1e4) / 1e4;
    const word = stored.words[t] ?? fresh.get(t);
    if (word !== undefined) words[t] = word;
  }
  return { terms, words };
}

/** Key terms: the heaviest words of the centroid (place terms left out: the place has its own column). */
export function keyTerms(stored: StoredCentroid, count = 5): string[] {
  return Object.entries(stored.terms)
    .filter(([t]) => !t.startsWith('@') && stored.words[t] !== undefined)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([t]) => stored.words[t] ?? t);
}

/** A readable label from the key terms, e.g. "wachtlijst huishoudelijke hulp". */
export function clusterLabel(stored: StoredCentroid): string {
  return keyTerms(stored, 3).join(' ') || 'zonder kernwoorden';
}

export interface CandidateCluster {
  id: string;
  centroid: StoredCentroid;
}

/** The cluster a signal joins: the most similar candidate at or above the batch threshold, or undefined (start one). */
export function chooseCluster<C extends CandidateCluster>(v: TermVector, candidates: readonly C[], threshold = CLUSTER_THRESHOLD): C | undefined {
  if (v.size === 0) return undefined;
  const scored = candidates.map((c) => ({ c, centroid: centroidFromStored(c.centroid) }));
  return bestCentroid(v, scored, threshold)?.c;
}

/** Ids of the members closest to the centroid: the representative quotes (their redacted text, never a paraphrase). */
export function representativeIds(
  centroid: StoredCentroid,
  members: readonly { id: string; text: string; place: string | null }[],
  count = 3,
  idf: Idf = referenceIdf(),
): string[] {
  const c = centroidFromStored(centroid);
  return members
    .map((m) => ({ id: m.id, sim: centroidSimilarity(signalVector(m.text, m.place, idf), c) }))
    .sort((a, b) => b.sim - a.sim || (a.id < b.id ? -1 : 1))
    .slice(0, count)
    .map((m) => m.id);
}

// ---- periodic re-clustering: merge clusters whose centroids grew alike ----

/**
 * Cosine between two centroids needed to merge them. Higher than the join threshold: a signal is compared with a
 * centroid, here two averages are, and averages of one issue look more alike than single messages do.
 */
export const MERGE_THRESHOLD = 0.5;

export function centroidCosine(a: StoredCentroid, b: StoredCentroid): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, w] of Object.entries(a.terms)) {
    na += w * w;
    dot += w * (b.terms[t] ?? 0);
  }
  for (const w of Object.values(b.terms)) nb += w * w;
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** The centroid of two clusters together (sums add up), kept to the heaviest terms. */
export function mergeCentroids(a: StoredCentroid, b: StoredCentroid, maxTerms = MAX_CENTROID_TERMS): StoredCentroid {
  const sum = new Map(Object.entries(a.terms));
  for (const [t, w] of Object.entries(b.terms)) sum.set(t, (sum.get(t) ?? 0) + w);
  const terms: Record<string, number> = {};
  const words: Record<string, string> = {};
  for (const [t, w] of [...sum].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, maxTerms)) {
    terms[t] = Math.round(w * 1e4) / 1e4;
    const word = a.words[t] ?? b.words[t];
    if (word !== undefined) words[t] = word;
  }
  return { terms, words };
}

export interface MergeCandidate {
  id: string;
  centroid: StoredCentroid;
  signalCount: number;
  firstSeenAt: Date;
}

export interface Merge {
  /** The cluster that stays (the biggest, then the oldest). */
  into: string;
  /** The clusters folded into it. */
  from: string[];
  centroid: StoredCentroid;
}

/**
 * Which clusters of one municipality and domain to merge: biggest first, each joins the most similar cluster that
 * stays, when their centroids are at least `threshold` alike. Pure and deterministic. Splitting a cluster that
 * drifted apart is not done (yet): a later slice.
 */
export function planMerges(clusters: readonly MergeCandidate[], threshold = MERGE_THRESHOLD): Merge[] {
  const ordered = [...clusters].sort(
    (a, b) => b.signalCount - a.signalCount || a.firstSeenAt.getTime() - b.firstSeenAt.getTime() || (a.id < b.id ? -1 : 1),
  );
  const kept: { id: string; centroid: StoredCentroid; from: string[] }[] = [];
  for (const c of ordered) {
    let best: (typeof kept)[number] | undefined;
    let bestSim = threshold;
    for (const k of kept) {
      const sim = centroidCosine(c.centroid, k.centroid);
      if (sim >= bestSim && (best === undefined || sim > bestSim)) {
        best = k;
        bestSim = sim;
      }
    }
    if (best) {
      best.centroid = mergeCentroids(best.centroid, c.centroid);
      best.from.push(c.id);
    } else kept.push({ id: c.id, centroid: c.centroid, from: [] });
  }
  return kept.filter((k) => k.from.length > 0).map((k) => ({ into: k.id, from: k.from, centroid: k.centroid }));
}

// ---- periodic re-clustering: split a cluster that grew two distinct issues ----

/**
 * Cosine between the two halves' centroids below which a cluster holds two issues, not one. Far under
 * MERGE_THRESHOLD, so the next re-clustering never merges the halves back.
 */
export const SPLIT_THRESHOLD = 0.15;

/** A half needs at least this many signals: a cluster is not split for one or two odd messages. */
export const MIN_SPLIT_PART = 3;

export interface SplitMember {
  id: string;
  text: string;
  place: string | null;
}

function centroidOf(vectors: readonly TermVector[]): Centroid {
  const c = emptyCentroid();
  for (const v of vectors) addToCentroid(c, v);
  return c;
}

function cosineOf(a: Centroid, b: Centroid): number {
  if (a.norm2 <= 0 || b.norm2 <= 0) return 0;
  let dot = 0;
  for (const [t, w] of a.sum) dot += w * (b.sum.get(t) ?? 0);
  return dot / Math.sqrt(a.norm2 * b.norm2);
}

/**
 * Whether a cluster's members are two distinct issues: 2-means on their vectors, seeded with the member least like
 * the whole and the member least like that one, so the same members always give the same halves. Returns the two
 * halves' ids (the bigger first), or undefined when the cluster is one issue or a half would be too small.
 */
export function planSplit(
  members: readonly SplitMember[],
  options: { idf?: Idf; threshold?: number; minPart?: number } = {},
): [string[], string[]] | undefined {
  const minPart = options.minPart ?? MIN_SPLIT_PART;
  if (members.length < 2 * minPart) return undefined;
  const idf = options.idf ?? referenceIdf();
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const vectors = sorted.map((m) => signalVector(m.text, m.place, idf));
  const leastLike = (c: Centroid, except = -1) => {
    let index = 0;
    let lowest = Infinity;
    vectors.forEach((v, i) => {
      const sim = centroidSimilarity(v, c);
      if (i !== except && sim < lowest) {
        lowest = sim;
        index = i;
      }
    });
    return index;
  };
  const seedA = leastLike(centroidOf(vectors));
  const seedB = leastLike(centroidOf([vectors[seedA] ?? new Map()]), seedA);
  let side = vectors.map((_v, i) => (i === seedB ? 1 : 0));
  let halves: [Centroid, Centroid] = [centroidOf([vectors[seedA] ?? new Map()]), centroidOf([vectors[seedB] ?? new Map()])];
  for (let round = 0; round < 20; round++) {
    const next = vectors.map((v) => (centroidSimilarity(v, halves[0]) >= centroidSimilarity(v, halves[1]) ? 0 : 1));
    const changed = next.some((x, i) => x !== side[i]);
    side = next;
    halves = [centroidOf(vectors.filter((_v, i) => side[i] === 0)), centroidOf(vectors.filter((_v, i) => side[i] === 1))];
    if (!changed) break;
  }
  const ids: [string[], string[]] = [[], []];
  sorted.forEach((m, i) => ids[side[i] === 1 ? 1 : 0].push(m.id));
  if (ids[0].length < minPart || ids[1].length < minPart) return undefined;
  if (cosineOf(halves[0], halves[1]) >= (options.threshold ?? SPLIT_THRESHOLD)) return undefined;
  return ids[0].length >= ids[1].length ? ids : [ids[1], ids[0]];
}

/** The stored centroid of these members, as if they had joined one by one. */
export function centroidOfMembers(members: readonly SplitMember[], idf: Idf = referenceIdf()): StoredCentroid {
  let c: StoredCentroid = { terms: {}, words: {} };
  for (const m of members) c = joinCentroid(c, signalVector(m.text, m.place, idf), m.text);
  return c;
}

// ---- trend and alert ----

export const clusterTrends = ['new', 'growing', 'stable', 'fading'] as const satisfies readonly ClusterTrend[];

export interface DatedCounts {
  firstSeenAt: Date;
  /** Signals received in the last 7 days. */
  last7: number;
  /** Signals received in the 21 days before those. */
  prior21: number;
}

const day = 24 * 60 * 60 * 1000;

/**
 * Trend of a cluster from dated counts. The weekly baseline is prior21 / 3.
 * - new: first seen less than 7 days ago;
 * - growing: the last week has at least 2 more signals than the baseline and at least 1.5 times it;
 * - fading: the last week has less than half the baseline (nothing at all this week and something before counts);
 * - stable: the rest (also a cluster with nothing in four weeks: quiet, not fading any more).
 * Alert (fast-growing): at least 5 signals in the last week and at least 3 times the baseline (a baseline under 1
 * counts as 1), whether the cluster is new or not.
 */
export function clusterTrend(counts: DatedCounts, now: Date): { trend: ClusterTrend; alert: boolean } {
  const { last7, prior21 } = counts;
  const baseline = prior21 / 3;
  const alert = last7 >= 5 && last7 >= 3 * Math.max(1, baseline);
  if (now.getTime() - counts.firstSeenAt.getTime() < 7 * day) return { trend: 'new', alert };
  if (last7 - baseline >= 2 && last7 >= 1.5 * baseline) return { trend: 'growing', alert };
  if (baseline > 0 && last7 < 0.5 * baseline) return { trend: 'fading', alert };
  return { trend: 'stable', alert };
}

// ---- in memory: the same assignment as the worker's, for the benchmark and tests ----

/** Feeds signals one by one through the live assignment, in memory: what the worker does, without a database. */
export class LiveClusterer {
  private readonly groups = new Map<string, CandidateCluster[]>();
  private readonly sizes = new Map<string, number>();
  private next = 1;

  constructor(private readonly idf: Idf = referenceIdf()) {}

  /** The cluster id the signal joins or starts; null when it has no domain or no words to compare. */
  assign(item: { text: string; domain: string | null; municipality: string | null; place?: string | null }): string | null {
    if (!item.domain) return null;
    const v = signalVector(item.text, item.place ?? null, this.idf);
    if (v.size === 0) return null;
    const key = `${item.municipality ?? ''}|${item.domain}`;
    let clusters = this.groups.get(key);
    if (!clusters) this.groups.set(key, (clusters = []));
    let cluster = chooseCluster(v, clusters);
    if (!cluster) {
      cluster = { id: `c-${this.next++}`, centroid: { terms: {}, words: {} } };
      clusters.push(cluster);
    }
    cluster.centroid = joinCentroid(cluster.centroid, v, item.text);
    this.sizes.set(cluster.id, (this.sizes.get(cluster.id) ?? 0) + 1);
    return cluster.id;
  }

  /**
   * Merges clusters whose centroids grew alike, as the periodic re-clustering does; returns old id to new id.
   * Later signals then compare with the merged centroid.
   */
  recluster(threshold = MERGE_THRESHOLD): Map<string, string> {
    const renamed = new Map<string, string>();
    for (const [key, clusters] of this.groups) {
      const merges = planMerges(
        clusters.map((c) => ({
          id: c.id,
          centroid: c.centroid,
          signalCount: this.sizes.get(c.id) ?? 0,
          // Ids are numbered in order of creation: that order stands in for first seen.
          firstSeenAt: new Date(Number(c.id.slice(2))),
        })),
        threshold,
      );
      if (merges.length === 0) continue;
      const gone = new Set<string>();
      for (const m of merges) {
        for (const f of m.from) {
          renamed.set(f, m.into);
          gone.add(f);
          this.sizes.set(m.into, (this.sizes.get(m.into) ?? 0) + (this.sizes.get(f) ?? 0));
        }
        const into = clusters.find((c) => c.id === m.into);
        if (into) into.centroid = m.centroid;
      }
      this.groups.set(key, clusters.filter((c) => !gone.has(c.id)));
    }
    return renamed;
  }
}
