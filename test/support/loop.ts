/**
 * Closing the loop (issue 6) for suites and the bench: a fresh database with the Zaanstreek region (Zaanstad GM0479,
 * Wormerland GM0880), agenda users, clusters, and residents with a signal in a cluster, made the way the bot leaves
 * them (wants_feedback from the ask-feedback question, the open conversation's state, last_seen_at for WhatsApp's
 * window); the real HTTP app and queue with the real job handlers; WhatsApp sends go to the fake Graph API.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { deleteRedisKeys } from './redis.ts';
import { createHttpApp } from '../../app/http/app.ts';
import { createLogger, type Logger } from '../../app/logger.ts';
import { pseudonymise } from '../../bot/identity.ts';
import { hashPassword } from '../../dashboards/auth/password.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { upsertMunicipality } from '../../db/repositories/municipalities.ts';
import { createUser } from '../../db/repositories/users.ts';
import type { Channel, Database, User, UserRole } from '../../db/database.ts';
import { createBullMqQueue, createInProcessQueue, type JobQueue, type RateLimit } from '../../pipeline/queue/index.ts';
import { createJobHandlers, createOnFailed } from '../../pipeline/workers/handlers.ts';
import { startFakeGraphApi, type FakeGraphApi } from './fake-graph-api.ts';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from './databases.ts';
import { redisUrl, uniqueName } from './services.ts';

export const base = 'http://wijkstem.test';
export const password = 'correct horse battery staple';
export const pseudonymKey = 'l'.repeat(32);
export const phoneNumberId = '1099887766554';
/** The registry entry the send job uses outside the 24-hour window. */
export const feedbackTemplate = { name: 'wijkstem_terugkoppeling', languages: ['nl', 'en'], parameters: ['bericht'] };

export type QueueKind = 'in-process' | 'bullmq';

export const loopUsers = [
  ['raad@zaanstad.test', 'council', 'GM0479'],
  ['admin@zaanstad.test', 'admin', 'GM0479'],
  ['team@zaanstad.test', 'team', 'GM0479'],
  ['regio@wormerland.test', 'region', 'GM0880'],
  ['raad@wormerland.test', 'council', 'GM0880'],
] as const satisfies readonly (readonly [string, UserRole, string])[];

export interface LoopApp {
  database: TestDatabase;
  db: Kysely<Database>;
  queue: JobQueue;
  graph: FakeGraphApi;
  app: Hono;
  users: Record<string, User>;
  request(path: string, init?: RequestInit): Promise<Response>;
  login(email: string): Promise<string>;
  /** A same-origin form post with the session's CSRF token, as the browser sends it. */
  post(path: string, fields: Record<string, string | string[]>, cookie: string): Promise<Response>;
  close(): Promise<void>;
}

export async function seedRegion(db: Kysely<Database>): Promise<void> {
  await importGazetteerFile(db, demoGazetteerPath, { demo: true });
  await db.updateTable('municipalities').set({ region: 'Zaanstreek', settings: JSON.stringify({ whatsappTemplates: { feedback: feedbackTemplate } }) }).where('code', '=', 'GM0479').execute();
  await upsertMunicipality(db, { code: 'GM0880', name: 'Wormerland', region: 'Zaanstreek' });
}

export async function addCluster(db: Kysely<Database>, municipalityCode: string, label: string, domainKey = 'zorg'): Promise<string> {
  const id = `c-${randomBytes(5).toString('hex')}`;
  const now = new Date();
  await db.insertInto('clusters').values({ id, municipality_code: municipalityCode, domain_key: domainKey, label, first_seen_at: now, last_seen_at: now }).execute();
  return id;
}

export interface ResidentSpec {
  clusterId: string;
  municipalityCode?: string;
  channel: Channel;
  wantsFeedback?: boolean;
  language?: 'nl' | 'en';
  /** WhatsApp: hours since the resident last wrote (the 24-hour window). */
  hoursSinceLastMessage?: number;
  /** The open conversation's state; 'stopped' after "stop". */
  state?: string;
}

export interface SeededResident {
  id: string;
  conversationId: string;
  /** WhatsApp: the number; web: the chat cookie's token. */
  channelId: string;
}

/** A resident with an open conversation and one analysed signal in the cluster. */
export async function addResident(db: Kysely<Database>, spec: ResidentSpec): Promise<SeededResident> {
  const municipalityCode = spec.municipalityCode ?? 'GM0479';
  const channelId = spec.channel === 'whatsapp' ? `316${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` : randomBytes(32).toString('base64url');
  const id = randomUUID();
  const conversationId = randomUUID();
  const lastSeen = new Date(Date.now() - (spec.hoursSinceLastMessage ?? 1) * 3600_000);
  await db
    .insertInto('residents')
    .values({
      id,
      municipality_code: municipalityCode,
      channel: spec.channel,
      channel_key_hash: pseudonymise(pseudonymKey, spec.channel, channelId),
      language: spec.language ?? 'nl',
      wants_feedback: spec.wantsFeedback ?? true,
      consent_at: new Date(),
      contact: spec.channel === 'whatsapp' ? channelId : null,
      last_seen_at: lastSeen,
    })
    .execute();
  await db
    .insertInto('conversations')
    .values({ id: conversationId, resident_id: id, municipality_code: municipalityCode, channel: spec.channel, state: spec.state ?? 'listening', context: JSON.stringify({ consented: true, language: spec.language ?? 'nl' }), language: spec.language ?? 'nl', updated_at: lastSeen })
    .execute();
  await db
    .insertInto('signals')
    .values({
      id: randomUUID(),
      municipality_code: municipalityCode,
      reference: `WS-${randomBytes(6).toString('hex').toUpperCase()}`,
      source: spec.channel,
      resident_id: id,
      conversation_id: conversationId,
      text_raw: 'De wachtlijst voor huishoudelijke hulp is lang.',
      text_redacted: 'De wachtlijst voor huishoudelijke hulp is lang.',
      status: 'analysed',
      cluster_id: spec.clusterId,
    })
    .execute();
  return { id, conversationId, channelId };
}

export async function startLoopApp(kind: TestDatabaseKind, queueKind: QueueKind, options: { sendRate?: RateLimit; logger?: Logger; concurrency?: number } = {}): Promise<LoopApp> {
  const database = await openTestDatabase(kind);
  const db = database.db;
  await seedRegion(db);
  const users: Record<string, User> = {};
  const passwordHash = await hashPassword(password);
  for (const [email, role, municipalityCode] of loopUsers) users[email] = await createUser(db, { email, passwordHash, role, municipalityCode });
  const graph = await startFakeGraphApi();
  const logger = options.logger ?? createLogger('silent');
  const prefix = uniqueName('wijkstem_loop');
  const retry = { attempts: 3, backoffMs: 20 };
  const queue =
    queueKind === 'bullmq'
      ? createBullMqQueue({ redisUrl: requireRedis(), prefix, retry, sendRate: options.sendRate })
      : createInProcessQueue({ retry, sendRate: options.sendRate });
  const workerDeps = { db, logger, queue, pseudonymKey, whatsapp: { graphUrl: graph.url, phoneNumberId, accessToken: 'test-access-token' } };
  await queue.startWorkers(createJobHandlers(workerDeps), { onFailed: createOnFailed(workerDeps), concurrency: options.concurrency ?? 4 });
  const app = createHttpApp({ db, queue, logger, pseudonymKey, defaultMunicipality: 'GM0479', secure: false, serveApp: true, health: () => queue.health() });
  const request = async (path: string, init: RequestInit = {}) => app.request(`${base}${path}`, init);
  const sessions = new Map<string, { cookie: string; csrf: string }>();
  const session = async (email: string) => {
    const known = sessions.get(email);
    if (known) return known;
    const response = await request('/dashboard/login', { method: 'POST', body: new URLSearchParams({ email, password }), headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' } });
    if (response.status !== 303) throw new Error(`login ${email}: ${response.status}`);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await (await request('/dashboard/agenda', { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const made = { cookie, csrf };
    sessions.set(email, made);
    return made;
  };
  const cookieOf = new Map<string, string>();
  return {
    database,
    db,
    queue,
    graph,
    app,
    users,
    request,
    login: async (email) => {
      const s = await session(email);
      cookieOf.set(s.cookie, s.csrf);
      return s.cookie;
    },
    post: (path, fields, cookie) => {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
      body.set('csrf', cookieOf.get(cookie) ?? '');
      return request(path, { method: 'POST', body, headers: { origin: base, cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    },
    close: async () => {
      await queue.close();
      await graph.close();
      await database.drop();
      if (queueKind === 'bullmq') await deleteRedisKeys(requireRedis(), `${prefix}:*`);
    },
  };
}

function requireRedis(): string {
  if (!redisUrl) throw new Error('REDIS_URL is not set');
  return redisUrl;
}

