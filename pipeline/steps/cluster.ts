/**
 * Clusters of a batch: signals about the same concrete issue ("the lamps in the Vinkenstraat"), not merely the same
 * domain. TF-IDF over the content words of the redacted text, compared only within the same primary domain and
 * municipality, grouped by leader clustering (each signal joins the most similar cluster centroid above the
 * threshold, or starts its own). Deterministic: input order decides, ids are c-1, c-2 … in order of first
 * appearance, and a signal left alone gets null. A later slice makes this incremental and persistent.
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

function terms(text: string): string[] {
  return contentWords(text).map(stem);
}

export function clusterBatch(items: readonly ClusterItem[], options: ClusterOptions = {}): (string | null)[] {
  // Short messages share few words even when they are about the same thing, so the bar is low; the place term and
  // the domain-and-municipality grouping keep unrelated signals apart.
  const threshold = options.threshold ?? 0.25;
  const docs = items.map((item) => (item.place ? [...terms(item.text), `@${item.place}`] : terms(item.text)));
  const df = new Map<string, number>();
  for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(1, items.length);
  const vectors = docs.map((doc) => {
    const tf = new Map<string, number>();
    for (const t of doc) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, c] of tf) {
      // Words in nearly every signal of a big batch say nothing about a particular issue.
      const w = (1 + Math.log(c)) * Math.log((n + 1) / (df.get(t) ?? 1));
      if (w <= 0) continue;
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });

  interface Cluster {
    sum: Map<string, number>;
    norm2: number;
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
    const dots = new Map<number, number>();
    for (const [t, w] of v) {
      for (const c of postings.get(t) ?? []) dots.set(c, (dots.get(c) ?? 0) + w * (clusters[c]?.sum.get(t) ?? 0));
    }
    let best = -1;
    let bestSim = threshold;
    for (const [c, d] of [...dots].sort((a, b) => a[0] - b[0])) {
      const sim = d / Math.sqrt(clusters[c]?.norm2 ?? 1);
      if (sim >= bestSim) {
        best = c;
        bestSim = sim;
      }
    }
    if (best < 0) {
      best = clusters.length;
      clusters.push({ sum: new Map(), norm2: 0, members: [] });
    }
    const cluster = clusters[best];
    if (!cluster) return;
    for (const [t, w] of v) {
      const old = cluster.sum.get(t) ?? 0;
      cluster.sum.set(t, old + w);
      cluster.norm2 += (old + w) ** 2 - old ** 2;
      let set = postings.get(t);
      if (!set) postings.set(t, (set = new Set()));
      set.add(best);
    }
    cluster.members.push(i);
    assignment[i] = best;
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
