/**
 * The live worker's 'signal.received' handler on each database kind: it runs the same analysis as `wijkstem
 * analyse` and stores it (status 'analysed'), idempotently; bad input fails at once as a PermanentJobError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../app/logger.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { importGazetteerFile } from '../db/gazetteer/import.ts';
import { getSignal, insertSignal } from '../db/repositories/signals.ts';
import { PermanentJobError } from '../pipeline/queue/queue.ts';
import { createJobHandlers } from '../pipeline/workers/handlers.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from './support/databases.ts';

const logger = createLogger('silent');

describe.each(databaseKinds)('signal.received worker on %s', (kind) => {
  let tdb: TestDatabase;
  let handle: ReturnType<typeof createJobHandlers>['signal.received'];

  beforeAll(async () => {
    tdb = await openTestDatabase(kind);
    await importGazetteerFile(tdb.db, demoGazetteerPath, { demo: true });
    handle = createJobHandlers({ db: tdb.db, logger })['signal.received'];
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('stores the analysis: redacted text, language, domains as JSON, place, tone, urgency, status analysed', async () => {
    const signal = await insertSignal(tdb.db, {
      municipalityCode: 'GM0479',
      source: 'web',
      text: 'Ik ben Anna. Al maanden schimmel in de flat en de verhuurder doet niks, bel 06-12345678',
      placeAnswer: 'spaghettiflat',
      postcodeAnswer: '1507',
    });
    await handle({ signalId: signal.id }, { id: 'j1', attempt: 1 });
    const stored = await getSignal(tdb.db, signal.id);
    expect(stored).toMatchObject({
      status: 'analysed',
      language: 'nl',
      text_redacted: 'Ik ben [naam]. Al maanden schimmel in de flat en de verhuurder doet niks, bel [telefoon]',
      wijk_code: 'WK047906',
      buurt_code: 'BU04790603',
      urgent: false,
      error: null,
    });
    expect(stored?.domains[0]).toEqual({ key: 'wonen', confidence: expect.any(Number) as unknown });
    // Live clusters (test/clusters.test.ts): even a first signal about an issue starts its cluster.
    expect(stored?.cluster_id).toMatch(/^c-[a-z0-9]{10}$/);
    expect(stored?.sentiment).toBeLessThan(0);
    expect(stored?.text_raw).toContain('Anna');
  });

  it('is idempotent: a redelivered job leaves an analysed signal as it is', async () => {
    const signal = await insertSignal(tdb.db, { municipalityCode: 'GM0479', source: 'street', text: 'ik wil niet meer leven' });
    await handle({ signalId: signal.id }, { id: 'j2', attempt: 1 });
    const first = await getSignal(tdb.db, signal.id);
    expect(first).toMatchObject({ status: 'analysed', urgent: true });
    await tdb.db.updateTable('signals').set({ text_raw: 'iets anders' }).where('id', '=', signal.id).execute();
    await handle({ signalId: signal.id }, { id: 'j2', attempt: 2 });
    expect(await getSignal(tdb.db, signal.id)).toMatchObject({ status: 'analysed', text_redacted: first?.text_redacted, processed_at: first?.processed_at });
  });

  it('keeps an urgent flag the bot set at intake, even when the text alone does not read as a crisis', async () => {
    const signal = await insertSignal(tdb.db, { municipalityCode: 'GM0479', source: 'whatsapp', text: 'kom alsjeblieft snel' });
    await tdb.db.updateTable('signals').set({ urgent: true }).where('id', '=', signal.id).execute();
    await handle({ signalId: signal.id }, { id: 'j5', attempt: 1 });
    expect(await getSignal(tdb.db, signal.id)).toMatchObject({ status: 'analysed', urgent: true });
  });

  it('skips a signal erased after it was queued', async () => {
    await expect(handle({ signalId: '00000000-0000-4000-8000-000000000000' }, { id: 'j3', attempt: 1 })).resolves.toBeUndefined();
  });

  it('fails unreadable text at once, without retries', async () => {
    const signal = await insertSignal(tdb.db, { municipalityCode: 'GM0479', source: 'import', text: '\u0001\u0002\u0003\ufffd\ufffd\ufffd' });
    await expect(handle({ signalId: signal.id }, { id: 'j4', attempt: 1 })).rejects.toBeInstanceOf(PermanentJobError);
    expect((await getSignal(tdb.db, signal.id))?.status).toBe('new');
  });
});
