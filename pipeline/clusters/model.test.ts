import { describe, expect, it } from 'vitest';
import { clusterBatch, CLUSTER_THRESHOLD } from '../steps/cluster.ts';
import {
  centroidCosine,
  centroidOfMembers,
  chooseCluster,
  clusterLabel,
  clusterTrend,
  idfFrom,
  joinCentroid,
  keyTerms,
  LiveClusterer,
  MAX_CENTROID_TERMS,
  MERGE_THRESHOLD,
  mergeCentroids,
  planMerges,
  planSplit,
  representativeIds,
  signalVector,
  type StoredCentroid,
} from './model.ts';

const day = 24 * 60 * 60 * 1000;
const now = new Date('2026-06-01T12:00:00Z');
const ago = (days: number) => new Date(now.getTime() - days * day);
const empty = (): StoredCentroid => ({ terms: {}, words: {} });

describe('clusterTrend', () => {
  it('new while first seen less than a week ago, with an alert once five or more arrive that week', () => {
    expect(clusterTrend({ firstSeenAt: ago(2), last7: 1, prior21: 0 }, now)).toEqual({ trend: 'new', alert: false });
    expect(clusterTrend({ firstSeenAt: ago(6.9), last7: 4, prior21: 0 }, now)).toEqual({ trend: 'new', alert: false });
    expect(clusterTrend({ firstSeenAt: ago(3), last7: 5, prior21: 0 }, now)).toEqual({ trend: 'new', alert: true });
  });

  it('growing: at least 2 above the weekly baseline (prior 21 days / 3) and at least 1.5 times it', () => {
    expect(clusterTrend({ firstSeenAt: ago(30), last7: 3, prior21: 3 }, now)).toEqual({ trend: 'growing', alert: false });
    expect(clusterTrend({ firstSeenAt: ago(30), last7: 2, prior21: 3 }, now).trend).toBe('stable'); // only 1 above
    expect(clusterTrend({ firstSeenAt: ago(30), last7: 14, prior21: 30 }, now).trend).toBe('stable'); // 10 a week: 1.4×
    expect(clusterTrend({ firstSeenAt: ago(30), last7: 15, prior21: 30 }, now)).toEqual({ trend: 'growing', alert: false });
  });

  it('alert (fast-growing): 5 or more this week and at least 3 times the baseline (a baseline under 1 counts as 1)', () => {
    expect(clusterTrend({ firstSeenAt: ago(60), last7: 5, prior21: 0 }, now)).toEqual({ trend: 'growing', alert: true });
    expect(clusterTrend({ firstSeenAt: ago(60), last7: 6, prior21: 6 }, now)).toEqual({ trend: 'growing', alert: true });
    expect(clusterTrend({ firstSeenAt: ago(60), last7: 5, prior21: 6 }, now)).toEqual({ trend: 'growing', alert: false });
    expect(clusterTrend({ firstSeenAt: ago(60), last7: 4, prior21: 0 }, now)).toEqual({ trend: 'growing', alert: false });
  });

  it('fading below half the baseline; stable otherwise, also when nothing happened for four weeks', () => {
    expect(clusterTrend({ firstSeenAt: ago(40), last7: 0, prior21: 3 }, now)).toEqual({ trend: 'fading', alert: false });
    expect(clusterTrend({ firstSeenAt: ago(40), last7: 1, prior21: 9 }, now).trend).toBe('fading');
    expect(clusterTrend({ firstSeenAt: ago(40), last7: 2, prior21: 9 }, now).trend).toBe('stable');
    expect(clusterTrend({ firstSeenAt: ago(90), last7: 0, prior21: 0 }, now).trend).toBe('stable');
  });
});

describe('stored centroids, labels and quotes', () => {
  const idf = idfFrom(['ik heb hulp nodig', 'de gemeente helpt niet', 'hulp van de gemeente']);

  it('keeps a bounded number of terms, labels with readable words, never place terms', () => {
    let c = empty();
    const texts = ['wachtlijst huishoudelijke hulp al maanden', 'huishoudelijke hulp wachtlijst te lang', 'wachtlijst huishoudelijke hulp'];
    for (const t of texts) c = joinCentroid(c, signalVector(t, 'BU04790101', idf), t, 4);
    expect(Object.keys(c.terms)).toHaveLength(4);
    expect(keyTerms(c)).not.toContain('@BU04790101');
    expect(clusterLabel(c).split(' ')).toHaveLength(3);
    expect(clusterLabel(c)).toMatch(/wachtlijst/);
    expect(clusterLabel(c)).toMatch(/huishoudelijke/);
  });

  it('joins at the batch threshold, and starts a new cluster below it', () => {
    const t = 'lantaarnpalen Vinkenstraat kapot';
    const c = { id: 'c-x', centroid: joinCentroid(empty(), signalVector(t, null, idf), t) };
    expect(chooseCluster(signalVector('lantaarnpaal in de Vinkenstraat is kapot', null, idf), [c])?.id).toBe('c-x');
    expect(chooseCluster(signalVector('bankje in het park is weg', null, idf), [c])).toBeUndefined();
    expect(chooseCluster(signalVector(t, null, idf), [c], 1.01)).toBeUndefined();
    expect(CLUSTER_THRESHOLD).toBe(0.25);
  });

  it('representative quotes are the members closest to the centroid', () => {
    const members = [
      { id: 'a', text: 'wachtlijst huishoudelijke hulp', place: null },
      { id: 'b', text: 'wachtlijst huishoudelijke hulp, mijn moeder wacht', place: null },
      { id: 'c', text: 'ook iets over een fiets en wachtlijst', place: null },
      { id: 'd', text: 'huishoudelijke hulp wachtlijst', place: null },
    ];
    let c = empty();
    for (const m of members) c = joinCentroid(c, signalVector(m.text, null, idf), m.text);
    const ids = representativeIds(c, members, 3, idf);
    expect(ids).toHaveLength(3);
    expect(ids).not.toContain('c');
  });
});

describe('LiveClusterer (the worker assignment, in memory)', () => {
  const item = (text: string, domain: string | null = 'openbare_ruimte', municipality = 'GM0479') => ({ text, domain, municipality });
  const batch = [
    item('de lantaarnpalen in de Vinkenstraat zijn kapot'),
    item('container bij de flat zit vol met afval'),
    item('Vinkenstraat: lantaarnpaal kapot, het is donker'),
    item('het afval naast de container stinkt, container vol'),
    item('bankje in het park is weg'),
    item('lantaarnpalen Vinkenstraat doen het niet', 'veiligheid'),
    item('lantaarnpalen Vinkenstraat kapot', 'openbare_ruimte', 'GM0453'),
  ];

  it('groups one by one as the batch does (singletons get their own cluster live)', () => {
    const live = new LiveClusterer();
    const ids = batch.map((b) => live.assign(b));
    expect(ids[0]).toBe(ids[2]);
    expect(ids[1]).toBe(ids[3]);
    expect(new Set(ids).size).toBe(5);
    const sameAsBatch = clusterBatch(batch);
    expect(sameAsBatch).toEqual(['c-1', 'c-2', 'c-1', 'c-2', null, null, null]);
  });

  it('leaves signals without a domain or words alone', () => {
    const live = new LiveClusterer();
    expect(live.assign(item('lampen kapot', null))).toBeNull();
    expect(live.assign(item('...'))).toBeNull();
  });
});

describe('planMerges', () => {
  const idf = idfFrom(['ik heb hulp nodig', 'de gemeente helpt niet']);
  const cluster = (id: string, texts: string[], signalCount = texts.length, days = 10) => {
    let centroid = empty();
    for (const t of texts) centroid = joinCentroid(centroid, signalVector(t, null, idf), t);
    return { id, centroid, signalCount, firstSeenAt: ago(days) };
  };

  it('merges alike clusters into the biggest (then the oldest), leaves the rest, and is deterministic', () => {
    const a = cluster('c-a', ['regiotaxi uur te laat ziekenhuis', 'regiotaxi te laat afspraak gemist'], 2);
    const b = cluster('c-b', ['regiotaxi weer te laat, ziekenhuis afspraak gemist'], 1);
    const c = cluster('c-c', ['parkeerplaatsen station vol'], 1);
    const merges = planMerges([b, c, a]);
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatchObject({ into: 'c-a', from: ['c-b'] });
    expect(planMerges([a, b, c])).toEqual(merges);
    expect(planMerges([c, cluster('c-d', ['parkeerplaatsen station vol'], 1, 20)])[0]).toMatchObject({ into: 'c-d', from: ['c-c'] });
    expect(planMerges([a, c])).toEqual([]);
  });

  it('centroid cosine is 1 for the same centroid and 0 for no shared terms; a merged centroid stays bounded', () => {
    const a = cluster('c-a', ['regiotaxi te laat']);
    expect(centroidCosine(a.centroid, a.centroid)).toBeCloseTo(1);
    expect(centroidCosine(a.centroid, cluster('c-c', ['parkeerplaatsen station vol']).centroid)).toBe(0);
    expect(centroidCosine(a.centroid, empty())).toBe(0);
    const big = cluster('c-big', Array.from({ length: 40 }, (_, i) => `woord${i} ander${i} derde${i}`));
    expect(Object.keys(mergeCentroids(big.centroid, big.centroid).terms)).toHaveLength(MAX_CENTROID_TERMS);
  });

  it('LiveClusterer.recluster renames merged clusters; later signals join the merged one', () => {
    const live = new LiveClusterer(idf);
    const first = live.assign({ text: 'regiotaxi uur te laat ziekenhuis afspraak', domain: 'vervoer', municipality: 'GM0479' });
    expect(live.recluster()).toEqual(new Map());
    expect(live.assign({ text: 'regiotaxi uur te laat ziekenhuis', domain: 'vervoer', municipality: 'GM0479' })).toBe(first);
  });
});

describe('planSplit', () => {
  const lamps = [
    'de lantaarnpalen in de Kastanjelaan zijn kapot, het is donker',
    'Kastanjelaan: straatverlichting doet het niet meer',
    'al weken geen licht van de lantaarnpalen in de Kastanjelaan',
    'lantaarnpaal Kastanjelaan kapot, donker op straat',
  ];
  const dogs = [
    'overal hondenpoep op het grasveld bij de speeltuin',
    'de kinderen spelen tussen de hondenpoep op het grasveld',
    'hondenbezitters ruimen de poep op het grasveld niet op',
    'grasveld bij de speeltuin ligt vol hondenpoep',
    'hondenpoep op het grasveld, kinderen kunnen er niet spelen',
  ];
  const members = (texts: readonly string[], prefix: string) => texts.map((text, i) => ({ id: `${prefix}${i}`, text, place: null }));

  it('splits a cluster that grew two distinct issues into its two issues, the bigger first', () => {
    const split = planSplit([...members(lamps, 'l'), ...members(dogs, 'd')]);
    expect(split).toEqual([['d0', 'd1', 'd2', 'd3', 'd4'], ['l0', 'l1', 'l2', 'l3']]);
    // The halves are far apart: the merge of the next re-clustering leaves them apart.
    const [a, b] = split ?? [[], []];
    const all = [...members(lamps, 'l'), ...members(dogs, 'd')];
    const pick = (ids: string[]) => all.filter((m) => ids.includes(m.id));
    expect(centroidCosine(centroidOfMembers(pick(a)), centroidOfMembers(pick(b)))).toBeLessThan(MERGE_THRESHOLD);
  });

  it('leaves one issue whole, and does not split off fewer than three signals', () => {
    expect(planSplit([...members(dogs, 'd'), ...members(['de hondenpoep op het grasveld is echt smerig'], 'x')])).toBeUndefined();
    expect(planSplit([...members(lamps, 'l'), ...members(dogs.slice(0, 2), 'd')])).toBeUndefined();
  });

  it('is deterministic: the order of the members does not matter', () => {
    const all = [...members(lamps, 'l'), ...members(dogs, 'd')];
    expect(planSplit([...all].reverse())).toEqual(planSplit(all));
  });
});
