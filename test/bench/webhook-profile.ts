/**
 * Where the time of one POST /webhooks/whatsapp goes, on PostgreSQL (DATABASE_URL) and BullMQ (REDIS_URL), one
 * request at a time, in this process: the store statement alone, the enqueue alone, a trivial select (the round
 * trip), and the whole request through app.request(). Medians in ms on stdout. Run it with --cpu-prof to see the CPU:
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof test/bench/webhook-profile.ts
 */
import { openTestDatabase } from '../support/databases.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { storeDelivery } from '../../bot/channels/whatsapp/store.ts';
import { createBullMqQueue } from '../../pipeline/queue/index.ts';
import { createHttpApp } from '../../app/http/app.ts';
import { createLogger } from '../../app/logger.ts';
import { textDelivery } from '../support/whatsapp-delivery.ts';
import { signBody } from '../../bot/channels/whatsapp/signature.ts';
const db = await openTestDatabase('postgres');
await importGazetteerFile(db.db, demoGazetteerPath, { demo: true });
const queue = createBullMqQueue({ redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: `botprof${process.pid}`, retry: { attempts: 1, backoffMs: 1 } });
const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
const t = { store: [] as number[], enq: [] as number[], app: [] as number[], sel: [] as number[] };
for (let i = 0; i < 60; i++) {
  let t0 = performance.now();
  const s = await storeDelivery(db.db, [{ municipalityCode: 'GM0479', residentKey: `k${i}`, contact: `31${i}`, externalId: `e${i}-${Math.random()}`, content: { kind: 'text', text: 'hallo' } }]);
  t.store.push(performance.now() - t0);
  t0 = performance.now();
  await queue.enqueueMany(s.map((m) => ({ name: 'conversation.turn', payload: { messageId: m.id } })));
  t.enq.push(performance.now() - t0);
  t0 = performance.now();
  await db.db.selectFrom('municipalities').select('code').execute();
  t.sel.push(performance.now() - t0);
}
const app = createHttpApp({ db: db.db, queue, logger: createLogger('silent'), pseudonymKey: 'p'.repeat(32), defaultMunicipality: 'GM0479', whatsapp: { verifyToken: 'v', appSecret: 's' }, secure: false, serveApp: true, health: () => queue.health() });
const n = Number(process.env.PROFILE_N ?? 60);
for (let i = 0; i < n; i++) {
  const raw = textDelivery('1', `3161${String(i).padStart(7, '0')}`, 'hallo daar');
  const t0 = performance.now();
  const r = await app.request('http://x/webhooks/whatsapp', { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody('s', raw) } });
  await r.text();
  t.app.push(performance.now() - t0);
}
console.log(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.length ? med(v.slice(10)) : null])));
await queue.close();
await db.drop();
