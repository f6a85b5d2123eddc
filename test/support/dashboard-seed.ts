/**
 * Seeded clusters for the cluster, export and map suites (HTTP and browser): the demo gazetteer of Zaanstad
 * (GM0479) and a small Wormerland (GM0880) in one region, four users, and clusters of analysed signals whose trend
 * follows from their dates relative to `now`:
 * - stable: 8 residents, 20 days ago (fading), 5 clients, 2 carers, mostly Zaandam-Centrum;
 * - rising: 5 residents, 2 days ago (new); its texts hold HTML and spreadsheet formulas;
 * - growing: 1 signal 15 days ago and 5 in the last 3 days, 6 residents;
 * - small: 4 residents (withheld everywhere);
 * - foreign: Wormerland's, 5 residents.
 */
import type { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import { createHttpApp } from '../../app/http/app.ts';
import { createLogger } from '../../app/logger.ts';
import type { AuditEntry, Database, ResidentRole } from '../../db/database.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { upsertMunicipality, upsertWijk } from '../../db/repositories/municipalities.ts';
import { findOrCreateResident } from '../../db/repositories/residents.ts';
import { insertSignal, storeAnalysis } from '../../db/repositories/signals.ts';
import { createUser } from '../../db/repositories/users.ts';
import { hashPassword } from '../../dashboards/auth/password.ts';
import { createInProcessQueue, type JobQueue } from '../../pipeline/queue/index.ts';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from './databases.ts';

export const seedPassword = 'correct horse battery staple';
export const seedUsers = {
  council: 'raad@zaanstad.test',
  team: 'team@zaanstad.test',
  foreignCouncil: 'raad@wormerland.test',
  region: 'regio@wormerland.test',
} as const;

export type SeedCluster = 'stable' | 'rising' | 'growing' | 'small' | 'foreign';

export interface Seeded {
  clusters: Record<SeedCluster, string>;
  labels: Record<SeedCluster, string>;
  /** Signal ids per cluster, in seeding order. */
  signals: Record<SeedCluster, string[]>;
}

const day = 86_400_000;

interface SignalSeed {
  text: string;
  /** Days before now. */
  daysAgo: number;
  resident: string;
  role?: ResidentRole;
  wijk: string;
  sentiment?: number;
  domains?: string[];
}

export async function seedClusters(db: Kysely<Database>, now = new Date()): Promise<Seeded> {
  await importGazetteerFile(db, demoGazetteerPath, { demo: true });
  await upsertMunicipality(db, { code: 'GM0880', name: 'Wormerland', region: 'Zaanstreek' });
  await upsertWijk(db, { code: 'WK088001', municipality_code: 'GM0880', name: 'Wormer' });
  await db.updateTable('municipalities').set({ region: 'Zaanstreek' }).where('code', '=', 'GM0479').execute();
  const passwordHash = await hashPassword(seedPassword);
  for (const [email, role, municipalityCode] of [
    [seedUsers.council, 'council', 'GM0479'],
    [seedUsers.team, 'team', 'GM0479'],
    [seedUsers.foreignCouncil, 'council', 'GM0880'],
    [seedUsers.region, 'region', 'GM0880'],
  ] as const) {
    await createUser(db, { email, passwordHash, role, municipalityCode });
  }

  const labels: Record<SeedCluster, string> = {
    stable: 'wachtlijst huishoudelijke hulp',
    rising: '=HYPERLINK("http://x.test") bus gezondheidscentrum',
    growing: 'schimmel huurwoning',
    small: 'bankjes park',
    foreign: 'fietspad wormer',
  };
  const domainOf: Record<SeedCluster, string> = { stable: 'zorg', rising: 'vervoer', growing: 'wonen', small: 'openbare_ruimte', foreign: 'vervoer' };
  const seeds: Record<SeedCluster, SignalSeed[]> = {
    stable: Array.from({ length: 8 }, (_, i) => ({
      text: `Ik wacht al maanden op huishoudelijke hulp (${i}), [naam] belt niet terug`,
      daysAgo: 20,
      resident: `stable-${i}`,
      role: i < 5 ? 'client' : i < 7 ? 'carer' : 'resident',
      wijk: i < 6 ? 'WK047901' : 'WK047902',
      sentiment: -0.6,
      domains: ['zorg', 'mantelzorg'],
    })),
    rising: [
      { text: '<script>alert(1)</script> De bus naar het gezondheidscentrum rijdt niet meer', daysAgo: 2, resident: 'rising-0', wijk: 'WK047906', sentiment: -0.4 },
      { text: '=HYPERLINK("http://x.test","klik") de bus komt niet', daysAgo: 2, resident: 'rising-1', wijk: 'WK047906' },
      { text: '-2+3 keer per week geen bus', daysAgo: 2, resident: 'rising-2', wijk: 'WK047906' },
      { text: '@SUM(1) bus, "te laat", altijd\nen nog een regel', daysAgo: 1, resident: 'rising-3', wijk: 'WK047906' },
      { text: '+31 bus rijdt om', daysAgo: 1, resident: 'rising-4', wijk: 'WK047906', role: 'client' },
    ],
    growing: [
      { text: 'Schimmel in de huurwoning, al lang', daysAgo: 15, resident: 'growing-0', wijk: 'WK047903', sentiment: -0.8 },
      ...Array.from({ length: 5 }, (_, i) => ({ text: `Schimmel in de badkamer van de huurwoning (${i})`, daysAgo: 3 - i * 0.5, resident: `growing-${i + 1}`, wijk: 'WK047903', sentiment: -0.8 })),
    ],
    small: Array.from({ length: 4 }, (_, i) => ({ text: `Te weinig bankjes in het park (${i})`, daysAgo: 2, resident: `small-${i}`, wijk: 'WK047904' })),
    foreign: Array.from({ length: 5 }, (_, i) => ({ text: `Het fietspad in Wormer is kapot (${i})`, daysAgo: 4, resident: `foreign-${i}`, wijk: 'WK088001' })),
  };

  const clusters = {} as Record<SeedCluster, string>;
  const signals = {} as Record<SeedCluster, string[]>;
  for (const key of Object.keys(seeds) as SeedCluster[]) {
    const municipalityCode = key === 'foreign' ? 'GM0880' : 'GM0479';
    const id = `c-seed${key}`;
    const list = seeds[key];
    const times = list.map((s) => new Date(now.getTime() - s.daysAgo * day));
    await db
      .insertInto('clusters')
      .values({
        id,
        municipality_code: municipalityCode,
        domain_key: domainOf[key],
        label: labels[key],
        first_seen_at: new Date(Math.min(...times.map((t) => t.getTime()))),
        last_seen_at: new Date(Math.max(...times.map((t) => t.getTime()))),
      })
      .execute();
    clusters[key] = id;
    signals[key] = [];
    for (const [i, s] of list.entries()) {
      const resident = await findOrCreateResident(db, { municipalityCode, channel: 'web', channelKeyHash: s.resident });
      await db.updateTable('residents').set({ role: s.role ?? 'resident', age_band: '45_65', wijk_code: s.wijk }).where('id', '=', resident.id).execute();
      const signal = await insertSignal(db, { municipalityCode, source: 'web', text: s.text, residentId: resident.id });
      await storeAnalysis(db, signal.id, {
        language: 'nl',
        textRedacted: s.text,
        domains: (s.domains ?? [domainOf[key]]).map((k, j) => ({ key: k, confidence: 0.9 - j * 0.2 })),
        review: false,
        wijkCode: s.wijk,
        buurtCode: null,
        sentiment: s.sentiment ?? -0.2,
        urgent: false,
      });
      await sql`update signals set received_at = ${times[i]}, cluster_id = ${id} where id = ${signal.id}`.execute(db);
      signals[key].push(signal.id);
    }
  }
  return { clusters, labels, signals };
}

const base = 'http://wijkstem.test';

/** The seeded clusters behind the in-process app (no workers: the signals are analysed already), with logins. */
export interface SeededApp {
  database: TestDatabase;
  seeded: Seeded;
  app: Hono;
  get(path: string, cookie: string): Promise<Response>;
  /** One session per user for the whole suite: logins are rate-limited. */
  login(email: string): Promise<string>;
  audits(action: string): Promise<AuditEntry[]>;
  close(): Promise<void>;
}

export async function startSeededApp(kind: TestDatabaseKind): Promise<SeededApp> {
  const database = await openTestDatabase(kind);
  const seeded = await seedClusters(database.db);
  const queue: JobQueue = createInProcessQueue({ retry: { attempts: 1, backoffMs: 10 } });
  const app = createHttpApp({ db: database.db, queue, logger: createLogger('silent'), pseudonymKey: 'k'.repeat(32), defaultMunicipality: 'GM0479', secure: false, serveApp: true, health: () => queue.health() });
  const sessions = new Map<string, string>();
  return {
    database,
    seeded,
    app,
    get: async (path, cookie) => app.request(`${base}${path}`, { headers: { cookie } }),
    async login(email) {
      const known = sessions.get(email);
      if (known) return known;
      const response = await app.request(`${base}/dashboard/login`, {
        method: 'POST',
        body: new URLSearchParams({ email, password: seedPassword }),
        headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      });
      if (response.status !== 303) throw new Error(`login ${email}: ${response.status}`);
      const cookie = response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      sessions.set(email, cookie);
      return cookie;
    },
    audits: (action) => database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute(),
    async close() {
      await queue.close();
      await database.drop();
    },
  };
}
