/**
 * The system under load: a fresh PostgreSQL database (demo gazetteer), a queue prefix of its own on Redis, the fake
 * Graph API, and ROLE=web and ROLE=worker as separate child processes that can be crashed and started again.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { startWijkstemProcess, type AppProcess } from '../support/app-process.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.ts';
import { uniqueName } from '../support/services.ts';
import { appSecret, assertLoopback, phoneNumberId, verifyToken } from './residents.ts';

export interface System {
  database: TestDatabase;
  graph: FakeGraphApi;
  web: AppProcess;
  worker: AppProcess;
  /** The web process's base URL now (it changes when the web process is started again). */
  webUrl: () => string;
  prefix: string;
  pseudonymKey: string;
  redisUrl: string;
  restartWeb(): Promise<void>;
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSystem(
  options: { sweepSeconds?: number; workerConcurrency?: number; onExit?: (role: string, code: number, output: string) => void } = {},
): Promise<System> {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('load runs need DATABASE_URL and REDIS_URL');
  assertLoopback(databaseUrl, 'DATABASE_URL');
  assertLoopback(redisUrl, 'REDIS_URL');
  const database = await openTestDatabase('postgres');
  await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
  const graph = await startFakeGraphApi();
  const prefix = uniqueName('wijkstem_load');
  const pseudonymKey = randomBytes(32).toString('hex');
  const env = {
    DATABASE_URL: database.env.DATABASE_URL,
    REDIS_URL: redisUrl,
    WIJKSTEM_QUEUE_PREFIX: prefix,
    WIJKSTEM_PSEUDONYM_KEY: pseudonymKey,
    WIJKSTEM_MUNICIPALITY: 'GM0479',
    WIJKSTEM_DEMO: 'false',
    WIJKSTEM_SWEEP_SECONDS: String(options.sweepSeconds ?? 30),
    WHATSAPP_VERIFY_TOKEN: verifyToken,
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_ACCESS_TOKEN: 'load',
    WHATSAPP_PHONE_NUMBER_ID: phoneNumberId,
    WHATSAPP_GRAPH_URL: graph.url,
    WHATSAPP_SEND_RATE: '1000',
    WORKER_CONCURRENCY: String(options.workerConcurrency ?? 8),
    LOG_LEVEL: 'warn',
  };
  // As a supervisor (systemd Restart=on-failure, a container engine) does: a process that could not start (its
  // database cut off during start-up) is started again, a few times.
  const supervised = async (role: 'web' | 'worker'): Promise<AppProcess> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const started = await startWijkstemProcess({ ...env, ROLE: role });
        // A process that dies by itself (not by crash() or stop()) is a finding: say why.
        void started.exited.then((code) => {
          if (code !== null && code !== 0) options.onExit?.(role, code, started.output().split('\n').slice(-40).join('\n'));
        });
        return started;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const startWeb = () => supervised('web');
  const startWorker = () => supervised('worker');
  const system: System = {
    database,
    graph,
    web: await startWeb(),
    worker: await startWorker(),
    webUrl: () => system.web.url.replace('localhost', '127.0.0.1'),
    prefix,
    pseudonymKey,
    redisUrl,
    restartWeb: async () => {
      system.web = await startWeb();
    },
    restartWorker: async () => {
      system.worker = await startWorker();
    },
    stop: async () => {
      await Promise.all([system.web.stop(), system.worker.stop()]);
      await graph.close();
      await database.drop();
      const redis = new Redis(redisUrl);
      try {
        for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) if (keys.length > 0) await redis.del(...keys);
      } finally {
        await redis.quit();
      }
    },
  };
  return system;
}
