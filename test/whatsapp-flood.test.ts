/**
 * 50 WhatsApp messages in 10 seconds from one resident, through the signed webhook on PGlite with the in-process
 * queue and the fake Graph API: every delivery is acknowledged, every message stored, and the resident gets the
 * replies to the first ten and then one polite "slow down", not 50 bubbles.
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpApp } from '../app/http/app.ts';
import { createLogger } from '../app/logger.ts';
import { signBody } from '../bot/channels/whatsapp/signature.ts';
import { floodLimit } from '../bot/conversation-service.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { importGazetteerFile } from '../db/gazetteer/import.ts';
import { createInProcessQueue, type JobQueue } from '../pipeline/queue/index.ts';
import { createJobHandlers, createOnFailed } from '../pipeline/workers/handlers.ts';
import { startFakeGraphApi, type FakeGraphApi } from './support/fake-graph-api.ts';
import { openTestDatabase, type TestDatabase } from './support/databases.ts';
import { textDelivery } from './support/whatsapp-delivery.ts';

const appSecret = 'flood-app-secret';
const pseudonymKey = 'f'.repeat(32);
const phoneNumberId = '1122334455667';
const logger = createLogger('silent');

let database: TestDatabase;
let queue: JobQueue;
let graph: FakeGraphApi;
let app: Hono;

beforeAll(async () => {
  database = await openTestDatabase('pglite');
  await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
  graph = await startFakeGraphApi();
  queue = createInProcessQueue({ retry: { attempts: 3, backoffMs: 20 } });
  const workerDeps = { db: database.db, logger, whatsapp: { graphUrl: graph.url, phoneNumberId, accessToken: 'token' }, pseudonymKey, queue };
  await queue.startWorkers(createJobHandlers(workerDeps), { onFailed: createOnFailed(workerDeps), concurrency: 2 });
  app = createHttpApp({ db: database.db, queue, logger, pseudonymKey, defaultMunicipality: 'GM0479', whatsapp: { verifyToken: 'v', appSecret }, secure: false, serveApp: true, health: () => queue.health() });
});
afterAll(async () => {
  await queue.close();
  await graph.close();
  await database.drop();
});

describe('WhatsApp: 50 messages in 10 seconds', () => {
  it('acknowledges and stores all 50, sends one "slow down" instead of a flood of replies', async () => {
    const phone = `3161${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const started = Date.now();
    for (let i = 0; i < 50; i++) {
      const raw = textDelivery(phoneNumberId, phone, `Bericht ${i}: de lift is weer kapot`);
      const r = await app.request('http://wijkstem.test/webhooks/whatsapp', { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(appSecret, raw) } });
      expect(r.status).toBe(200);
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    const texts = await database.db.selectFrom('messages').select('text').where('channel', '=', 'whatsapp').where('direction', '=', 'in').execute();
    expect(texts.filter((m) => m.text?.endsWith('de lift is weer kapot'))).toHaveLength(50);

    const toResident = () => graph.requests.filter((r) => (r.body as { to?: string }).to === phone && r.status === 200);
    await vi.waitFor(() => expect(toResident()).toHaveLength(floodLimit + 1), { timeout: 10_000, interval: 50 });
    await new Promise((r) => setTimeout(r, 300));
    const sent = toResident();
    expect(sent).toHaveLength(floodLimit + 1);
    expect(sent.every((r) => r.problems.length === 0)).toBe(true);
    const slowDowns = sent.filter((r) => JSON.stringify(r.body).includes('Je stuurt veel berichten snel achter elkaar'));
    expect(slowDowns).toHaveLength(1);
  });
});
