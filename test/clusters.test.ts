/**
 * Live clusters on each database kind: the 'signal.received' worker assigns every analysed signal to a cluster of
 * the same concrete issue, with counts of distinct residents, idempotently and safely under concurrent workers.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { importGazetteerFile } from '../db/gazetteer/import.ts';
import { assignSignalToCluster, clusterQuotes, getCluster, listClusters, mergeSimilarClusters, splitMixedClusters } from '../db/repositories/clusters.ts';
import { findOrCreateResident } from '../db/repositories/residents.ts';
import { getSignal, insertSignal } from '../db/repositories/signals.ts';
import { reclusterPayload } from '../pipeline/jobs.ts';
import { createJobHandlers } from '../pipeline/workers/handlers.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from './support/databases.ts';

const logger = createLogger('silent');
const M = 'GM0479';
const day = 24 * 60 * 60 * 1000;

describe.each(databaseKinds)('live clusters on %s', (kind) => {
  let tdb: TestDatabase;
  let handle: ReturnType<typeof createJobHandlers>['signal.received'];
  let jobs = 0;

  beforeAll(async () => {
    tdb = await openTestDatabase(kind);
    await importGazetteerFile(tdb.db, demoGazetteerPath, { demo: true });
    handle = createJobHandlers({ db: tdb.db, logger })['signal.received'];
  });
  afterAll(async () => {
    await tdb.drop();
  });

  const resident = async (name: string) => (await findOrCreateResident(tdb.db, { municipalityCode: M, channel: 'whatsapp', channelKeyHash: `hash-${name}` })).id;
  const signal = async (text: string, residentId: string | null = null, receivedAt?: Date) => {
    const s = await insertSignal(tdb.db, { municipalityCode: M, source: residentId ? 'whatsapp' : 'street', text, residentId });
    // received_at is the database's own clock; backdate it as an old signal would be.
    if (receivedAt) await sql`update signals set received_at = ${receivedAt} where id = ${s.id}`.execute(tdb.db);
    return s.id;
  };
  const run = async (signalId: string, h = handle) => {
    await h({ signalId }, { id: `j${++jobs}`, attempt: 1 });
    const stored = await getSignal(tdb.db, signalId);
    expect(stored?.status).toBe('analysed');
    return stored?.cluster_id ?? null;
  };

  it('puts similar signals of two residents in one cluster (resident_count 2) and a different issue of the same domain in another', async () => {
    const a = await signal('De wachtlijst voor huishoudelijke hulp is vier maanden, mijn moeder krijgt geen hulp in huis', await resident('a'));
    const b = await signal('al maanden op de wachtlijst voor huishoudelijke hulp, niemand komt bij mij schoonmaken', await resident('b'));
    const c = await signal('Mijn rolstoel is kapot en de leverancier van hulpmiddelen reageert niet op de reparatie', await resident('a'));
    const [ca, cb, cc] = [await run(a), await run(b), await run(c)];
    expect(ca).toMatch(/^c-[a-z0-9]{10}$/);
    expect(cb).toBe(ca);
    expect(cc).not.toBeNull();
    expect(cc).not.toBe(ca);
    const cluster = await getCluster(tdb.db, ca ?? '');
    expect(cluster).toMatchObject({ municipality_code: M, domain_key: 'zorg', signal_count: 2, resident_count: 2, trend: 'new', alert: false });
    expect(cluster?.label).toMatch(/wachtlijst|huishoudelijke|hulp/);
    expect(cluster?.key_terms).toEqual(expect.arrayContaining(['wachtlijst', 'huishoudelijke']));
    expect(Object.keys(cluster?.centroid.terms ?? {}).length).toBeLessThanOrEqual(60);
    expect(await getCluster(tdb.db, cc ?? '')).toMatchObject({ domain_key: 'zorg', signal_count: 1, resident_count: 1 });
    // Representative quotes are the stored redacted texts, never a paraphrase.
    const quotes = await clusterQuotes(tdb.db, ca ?? '');
    expect(quotes.map((q) => q.id).sort()).toEqual([a, b].sort());
    for (const q of quotes) expect(q.text_redacted).toBe((await getSignal(tdb.db, q.id))?.text_redacted);
  });

  it('counts a signal once: a redelivered job and a second assignment leave the counts as they are', async () => {
    const r = await resident('retry');
    const first = await signal('de lantaarnpalen in de Vinkenstraat zijn al weken kapot, het is donker op straat', r);
    const second = await signal('Vinkenstraat: alle lantaarnpalen kapot en het is s avonds aardedonker', r);
    const id = await run(first);
    expect(await run(second)).toBe(id);
    await handle({ signalId: second }, { id: 'again', attempt: 2 });
    const again = await tdb.db.transaction().execute((trx) =>
      assignSignalToCluster(trx, { signalId: second, municipalityCode: M, domainKey: 'openbare_ruimte', textRedacted: 'iets heel anders', place: null }),
    );
    expect(again).toBe(id);
    // The same resident twice: two signals, one resident.
    expect(await getCluster(tdb.db, id ?? '')).toMatchObject({ signal_count: 2, resident_count: 1 });
  });

  it('keeps counts right under concurrent workers, duplicate deliveries included', async () => {
    const workers = [0, 1, 2].map(() => createJobHandlers({ db: tdb.db, logger })['signal.received']);
    const texts = [
      'de bus naar het gezondheidscentrum rijdt niet meer sinds de nieuwe dienstregeling',
      'sinds de nieuwe dienstregeling rijdt er geen bus meer naar het gezondheidscentrum',
      'geen bus meer naar het gezondheidscentrum door de dienstregeling, ik kan niet naar de dokter',
      'de nieuwe dienstregeling: de bus naar het gezondheidscentrum is geschrapt',
      'bus gezondheidscentrum rijdt niet meer, dienstregeling veranderd',
      'waarom rijdt de bus niet meer naar het gezondheidscentrum? dienstregeling is slecht',
    ];
    const ids = await Promise.all(texts.map(async (t, i) => signal(t, i % 2 === 0 ? await resident(`bus${i}`) : null)));
    await Promise.all(ids.flatMap((id, i) => [0, 1].map((k) => (workers[(i + k) % workers.length] ?? handle)({ signalId: id }, { id: `bus-${i}`, attempt: 1 + k }))));
    const rows = await tdb.db.selectFrom('signals').select(['cluster_id', 'status']).where('id', 'in', ids).execute();
    expect(rows.every((r) => r.status === 'analysed')).toBe(true);
    const clusterIds = new Set(rows.map((r) => r.cluster_id));
    expect(clusterIds.size).toBe(1);
    const cluster = await getCluster(tdb.db, [...clusterIds][0] ?? '');
    // Three residents and three signals without a resident (each counts as one).
    expect(cluster).toMatchObject({ signal_count: 6, resident_count: 6 });
    const total = await tdb.db.selectFrom('clusters').select((eb) => eb.fn.sum<string>('signal_count').as('n')).executeTakeFirstOrThrow();
    const clustered = await tdb.db.selectFrom('signals').select((eb) => eb.fn.countAll<string>().as('n')).where('cluster_id', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(total.n)).toBe(Number(clustered.n));
  });

  it('dates decide the trend: one signal a month ago and five this week is a growing cluster with an alert', async () => {
    const now = Date.now();
    const old = await signal('het speeltuintje aan de Dahliastraat is al een maand afgesloten met hekken', null, new Date(now - 20 * day));
    const id = await run(old);
    for (let i = 0; i < 5; i++) {
      expect(await run(await signal(`speeltuintje Dahliastraat nog steeds afgesloten met hekken, kinderen kunnen nergens spelen (${i})`, null, new Date(now - i * 3600_000)))).toBe(id);
    }
    expect(await getCluster(tdb.db, id ?? '')).toMatchObject({ signal_count: 6, trend: 'growing', alert: true });
    // Read three weeks later: nothing new since, so it fades and the alert is gone.
    const later = await listClusters(tdb.db, M, { now: new Date(now + 10 * day) });
    expect(later.find((c) => c.id === id)).toMatchObject({ trend: 'fading', alert: false });
    // A signal erased on request no longer counts; a cluster left empty is not listed and the re-clustering deletes it.
    await tdb.db.deleteFrom('signals').where('id', '=', old).execute();
    expect((await listClusters(tdb.db, M)).find((c) => c.id === id)).toMatchObject({ signal_count: 5, trend: 'new', alert: true });
    const lone = await run(await signal('de ondergrondse afvalcontainer bij de Rosmolenwijk is al twee weken niet geleegd, vuilniszakken ernaast', null));
    expect(lone).not.toBeNull();
    await tdb.db.deleteFrom('signals').where('cluster_id', '=', lone).execute();
    expect((await listClusters(tdb.db, M)).map((c) => c.id)).not.toContain(lone);
    expect(await getCluster(tdb.db, lone ?? '')).toBeDefined();
    await mergeSimilarClusters(tdb.db, M);
    expect(await getCluster(tdb.db, lone ?? '')).toBeUndefined();
  });

  it('re-clustering merges clusters whose centroids became alike into the biggest, and leaves another issue alone', async () => {
    // A domain of its own, so the clusters of the other tests stay out of it.
    const domainKey = 'vervoer_merge_test';
    const texts = [
      'de regiotaxi kwam weer een uur te laat, ik miste mijn afspraak in het ziekenhuis',
      'regiotaxi een uur te laat, afspraak ziekenhuis gemist',
      'weer te laat die regiotaxi, ziekenhuis afspraak gemist',
      'de parkeerplaatsen bij het station zijn altijd vol',
    ];
    const ids: string[] = [];
    for (const [i, text] of texts.entries()) {
      const s = await insertSignal(tdb.db, { municipalityCode: M, source: 'import', text, residentId: i === 1 ? await resident('taxi') : null });
      await tdb.db.updateTable('signals').set({ status: 'analysed', text_redacted: text }).where('id', '=', s.id).execute();
      // Forced apart (no candidates), as clusters that only later grew alike.
      await tdb.db.transaction().execute((trx) =>
        assignSignalToCluster(trx, { signalId: s.id, municipalityCode: M, domainKey, textRedacted: text, place: null }, { candidateLimit: i === 1 ? 200 : 0 }),
      );
      ids.push(s.id);
    }
    const before = await tdb.db.selectFrom('signals').select(['id', 'cluster_id']).where('id', 'in', ids).execute();
    const clusterOf = (id: string, rows: typeof before) => rows.find((r) => r.id === id)?.cluster_id;
    expect(new Set(before.map((r) => r.cluster_id)).size).toBe(3);
    const big = clusterOf(ids[0] ?? '', before);
    expect(clusterOf(ids[1] ?? '', before)).toBe(big);

    const merges = await mergeSimilarClusters(tdb.db, M, { domainKey });
    expect(merges).toEqual([{ into: big, from: [clusterOf(ids[2] ?? '', before)] }]);
    const after = await tdb.db.selectFrom('signals').select(['id', 'cluster_id']).where('id', 'in', ids).execute();
    expect([0, 1, 2].map((i) => clusterOf(ids[i] ?? '', after))).toEqual([big, big, big]);
    expect(clusterOf(ids[3] ?? '', after)).toBe(clusterOf(ids[3] ?? '', before));
    expect(await getCluster(tdb.db, big ?? '')).toMatchObject({ signal_count: 3, resident_count: 3 });
    expect(await getCluster(tdb.db, clusterOf(ids[2] ?? '', before) ?? '')).toBeUndefined();
    // Nothing left to merge: a second run is a no-op.
    expect(await mergeSimilarClusters(tdb.db, M, { domainKey })).toEqual([]);

    // The periodic job over all domains of the municipality keeps every count and link consistent.
    await createJobHandlers({ db: tdb.db, logger })['clusters.recluster'](reclusterPayload(M), { id: 'recluster', attempt: 1 });
    const total = await tdb.db.selectFrom('clusters').select((eb) => eb.fn.sum<string>('signal_count').as('n')).executeTakeFirstOrThrow();
    const linked = await tdb.db
      .selectFrom('signals')
      .innerJoin('clusters', 'clusters.id', 'signals.cluster_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const clustered = await tdb.db.selectFrom('signals').select((eb) => eb.fn.countAll<string>().as('n')).where('cluster_id', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(total.n)).toBe(Number(clustered.n));
    expect(Number(linked.n)).toBe(Number(clustered.n));
  });
  it('re-clustering splits a cluster that grew two distinct issues, and the merge leaves the halves apart', async () => {
    const domainKey = 'openbare_ruimte_split_test';
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
    const ids: string[] = [];
    let mixed: string | null = null;
    for (const [i, text] of [...dogs, ...lamps].entries()) {
      const s = await insertSignal(tdb.db, { municipalityCode: M, source: 'import', text, residentId: i % 2 === 0 ? await resident(`split${i}`) : null });
      await tdb.db.updateTable('signals').set({ status: 'analysed', text_redacted: text }).where('id', '=', s.id).execute();
      ids.push(s.id);
      if (i === 0) mixed = await tdb.db.transaction().execute((trx) => assignSignalToCluster(trx, { signalId: s.id, municipalityCode: M, domainKey, textRedacted: text, place: null }));
    }
    // Grown together over time (chained through signals since erased): all nine in one cluster.
    await tdb.db.updateTable('signals').set({ cluster_id: mixed }).where('id', 'in', ids).execute();
    await mergeSimilarClusters(tdb.db, M, { domainKey });
    expect(await getCluster(tdb.db, mixed ?? '')).toMatchObject({ signal_count: 9 });

    const splits = await splitMixedClusters(tdb.db, M, { domainKey });
    expect(splits).toEqual([{ from: mixed, into: expect.stringMatching(/^c-[a-z0-9]{10}$/) as unknown, moved: 4 }]);
    const rows = await tdb.db.selectFrom('signals').select(['id', 'cluster_id']).where('id', 'in', ids).execute();
    const clusterOf = (id: string) => rows.find((r) => r.id === id)?.cluster_id;
    expect(new Set(ids.slice(0, 5).map(clusterOf))).toEqual(new Set([mixed]));
    expect(new Set(ids.slice(5).map(clusterOf))).toEqual(new Set([splits[0]?.into]));
    expect(await getCluster(tdb.db, mixed ?? '')).toMatchObject({ signal_count: 5, resident_count: 5, label: expect.stringMatching(/hondenpoep|grasveld/) as unknown });
    expect(await getCluster(tdb.db, splits[0]?.into ?? '')).toMatchObject({ domain_key: domainKey, signal_count: 4, label: expect.stringMatching(/lantaarnpa|kastanjelaan/) as unknown });
    // Stable: the merge does not undo the split, and a second split run finds nothing.
    expect(await mergeSimilarClusters(tdb.db, M, { domainKey })).toEqual([]);
    expect(await splitMixedClusters(tdb.db, M, { domainKey })).toEqual([]);
  });
});
