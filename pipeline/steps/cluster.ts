/**
 * Clusters of a batch: signals about the same concrete issue ("the lamps in the Vinkenstraat"), not merely the same
 * domain. TF-IDF over the content words of the redacted text, compared only within the same primary domain and
 * municipality, grouped by leader clustering (each signal joins the most similar cluster centroid above the
 * threshold, or starts its own). Deterministic: input order decides, ids are c-1, c-2 … in order of first
 * appearance, and a signal left alone gets null. The live pipeline assigns one signal at a time to stored clusters with
 * the same vectors, similarity and threshold (pipeline/clusters/).
 */
import { contentWords } from './text.ts';

export interface ClusterItem {
  text: string;
  /** Primary life domain; signals without one are not clustered. */
  domain: string | null;
  municipality: string | null;
  /** Where the signal is placed (buurt or wijk code): a concrete issue is usually in one place. */
  place?: string | null;
}

export interface ClusterOptions {
  /** Cosine similarity to a cluster centroid needed to join it. */
  threshold?: number;
}

/** Light stemming: Dutch and English plural and inflection endings, so "lantaarnpalen" meets "lantaarnpaal". */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  return word
    .replace(/(en|es|s|e|ing|ed)$/, '')
    .replace(/(.)\1$/, '$1')
    .replace(/aa(?=[^aeiou]$)/, 'a')
    .replace(/oo(?=[^aeiou]$)/, 'o');
}

/** The words of a text that tell one issue from another, stemmed, with the signal's place as one extra term. */
export function clusterTerms(text: string, place?: string | null): string[] {
  const words = contentWords(text).map(stem);
  return place ? [...words, `@${place}`] : words;
}

/** The stems of a text with the word each came from (the first), so a label reads as words, not stems. */
export function stemWords(text: string): Map<string, string> {
  const words = new Map<string, string>();
  for (const word of contentWords(text)) {
    const s = stem(word);
    if (!words.has(s)) words.set(s, word);
  }
  return words;
}

/**
 * Cosine similarity to a cluster centroid needed to join it; batch and live use the same bar. Short messages share
 * few words even when they are about the same thing, so it is low; the place term and the domain-and-municipality
 * grouping keep unrelated signals apart.
 */
export const CLUSTER_THRESHOLD = 0.25;

/** A sparse term vector: term to weight. */
export type TermVector = Map<string, number>;

/** TF-IDF of one document, unit length; terms the IDF gives no weight are dropped. */
export function termVector(doc: readonly string[], idf: (term: string) => number): TermVector {
  const tf = new Map<string, number>();
  for (const t of doc) tf.set(t, (tf.get(t) ?? 0) + 1);
  const v: TermVector = new Map();
  let norm = 0;
  for (const [t, c] of tf) {
    const w = (1 + Math.log(c)) * idf(t);
    if (w <= 0) continue;
    v.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

/** A cluster's centroid: the sum of its members' unit vectors, and the squared length of that sum. */
export interface Centroid {
  sum: TermVector;
  norm2: number;
}

export function emptyCentroid(): Centroid {
  return { sum: new Map(), norm2: 0 };
}

/** Cosine similarity of a unit vector to a centroid. The one similarity batch and live clustering share. */
export function centroidSimilarity(v: TermVector, centroid: Centroid): number {
  if (centroid.norm2 <= 0) return 0;
  let dot = 0;
  for (const [t, w] of v) dot += w * (centroid.sum.get(t) ?? 0);
  return dot / Math.sqrt(centroid.norm2);
}

/** Adds a member's vector to a centroid, in place. */
export function addToCentroid(centroid: Centroid, v: TermVector): void {
  for (const [t, w] of v) {
    const old = centroid.sum.get(t) ?? 0;
    centroid.sum.set(t, old + w);
    centroid.norm2 += (old + w) ** 2 - old ** 2;
  }
}

/**
 * The most similar candidate at or above the threshold, or undefined: ties go to the earlier candidate, so the
 * caller's order (first appearance in a batch, oldest cluster live) decides.
 */
export function bestCentroid<C extends { centroid: Centroid }>(v: TermVector, candidates: Iterable<C>, threshold = CLUSTER_THRESHOLD): C | undefined {
  let best: C | undefined;
  let bestSim = threshold;
  for (const candidate of candidates) {
    const sim = centroidSimilarity(v, candidate.centroid);
    if (sim >= bestSim && (best === undefined || sim > bestSim)) {
      best = candidate;
      bestSim = sim;
    }
  }
  return best;
}

export function clusterBatch(items: readonly ClusterItem[], options: ClusterOptions = {}): (string | null)[] {
  const threshold = options.threshold ?? CLUSTER_THRESHOLD;
  const docs = items.map((item) => clusterTerms(item.text, item.place));
  const df = new Map<string, number>();
  for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(1, items.length);
  // Words in nearly every signal of a big batch say nothing about a particular issue.
  const idf = (t: string): number => Math.log((n + 1) / (df.get(t) ?? 1));
  const vectors = docs.map((doc) => termVector(doc, idf));

  interface Cluster {
    index: number;
    centroid: Centroid;
    members: number[];
  }
  const clusters: Cluster[] = [];
  const byGroup = new Map<string, Map<string, Set<number>>>();
  const assignment = new Array<number>(items.length).fill(-1);

  items.forEach((item, i) => {
    const v = vectors[i];
    if (!item.domain || !v || v.size === 0) return;
    const group = `${item.municipality ?? ''}|${item.domain}`;
    let postings = byGroup.get(group);
    if (!postings) byGroup.set(group, (postings = new Map<string, Set<number>>()));
    // Candidate clusters share at least one term with this signal (inverted index), so a batch stays fast.
    const candidates = new Set<number>();
    for (const t of v.keys()) for (const c of postings.get(t) ?? []) candidates.add(c);
    const ordered = [...candidates].sort((a, b) => a - b).flatMap((c) => clusters[c] ?? []);
    let cluster = bestCentroid(v, ordered, threshold);
    if (!cluster) {
      cluster = { index: clusters.length, centroid: emptyCentroid(), members: [] };
      clusters.push(cluster);
    }
    addToCentroid(cluster.centroid, v);
    for (const t of v.keys()) {
      let set = postings.get(t);
      if (!set) postings.set(t, (set = new Set()));
      set.add(cluster.index);
    }
    cluster.members.push(i);
    assignment[i] = cluster.index;
  });

  // Ids for clusters of two or more, numbered by their first member.
  const ids = new Map<number, string>();
  const result: (string | null)[] = [];
  assignment.forEach((c) => {
    const cluster = c >= 0 ? clusters[c] : undefined;
    if (!cluster || cluster.members.length < 2) {
      result.push(null);
      return;
    }
    let id = ids.get(c);
    if (id === undefined) ids.set(c, (id = `c-${ids.size + 1}`));
    result.push(id);
  });
  return result;
}
