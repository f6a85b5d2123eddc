/**
 * Nothing lost when Redis dies: the web chat keeps answering (the signal is stored before it is queued), and once
 * Redis is back the workers' sweep queues what never reached it. Runs the real process against PostgreSQL and a
 * Redis server of the test's own, which it kills and restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresDatabase } from './support/databases.ts';
import { startWijkstemProcess, type AppProcess } from './support/app-process.ts';
import { postgresUrl, redisUrl } from './support/services.ts';

function startRedis(port: number): { server: ChildProcess; exited: Promise<unknown> } {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  return { server, exited: new Promise((resolve) => server.on('exit', resolve)) };
}

describe.skipIf(!postgresUrl || !redisUrl)('a dead Redis delays work and loses none', () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let redis = startRedis(port);
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let app: AppProcess | undefined;
  let client: pg.Client | undefined;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    // Wait for our Redis to listen before the app checks it at start.
    await vi.waitFor(
      () =>
        new Promise<void>((resolve, reject) => {
          const probe = spawn('redis-cli', ['-p', String(port), 'ping']);
          probe.on('exit', (code) => (code === 0 ? resolve() : reject(new Error('not yet'))));
        }),
      { timeout: 10_000, interval: 100 },
    );
    app = await startWijkstemProcess({
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      WIJKSTEM_PSEUDONYM_KEY: randomBytes(32).toString('hex'),
      WIJKSTEM_SWEEP_SECONDS: '0.5',
    });
  });

  afterAll(async () => {
    await app?.stop();
    redis.server.kill('SIGKILL');
    await client?.end();
    await database?.drop();
  });

  /** A resident tells a story and gives consent (the signal is stored then): the status of both answers. */
  async function post(text: string): Promise<number> {
    if (!app) throw new Error('app not started');
    const story = await fetch(`${app.url}/chat`, { method: 'POST', body: new URLSearchParams({ text }), headers: { origin: app.url }, redirect: 'manual' });
    const cookie = story.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const consent = await fetch(`${app.url}/chat`, { method: 'POST', body: new URLSearchParams({ choice: 'yes' }), headers: { origin: app.url, cookie }, redirect: 'manual' });
    return story.status === 303 ? consent.status : story.status;
  }

  async function statusOf(text: string): Promise<string | undefined> {
    const result = await client?.query<{ status: string }>('select status from signals where text_raw = $1', [text]);
    return result?.rows[0]?.status;
  }

  it('answers while Redis is down, and processes every stored signal once it is back', async () => {
    expect(await post('voor de storing')).toBe(303);
    await vi.waitFor(async () => expect(await statusOf('voor de storing')).not.toBe('new'), { timeout: 15_000, interval: 100 });

    redis.server.kill('SIGKILL');
    await redis.exited;
    const during = ['tijdens de storing 1', 'tijdens de storing 2', 'tijdens de storing 3'];
    for (const text of during) expect(await post(text)).toBe(303);
    for (const text of during) expect(await statusOf(text)).toBe('new');

    redis = startRedis(port);
    await vi.waitFor(async () => {
      for (const text of during) expect(await statusOf(text)).not.toBe('new');
    }, { timeout: 30_000, interval: 200 });
    const counts = await client?.query<{ n: string }>('select count(*) as n from signals');
    expect(Number(counts?.rows[0]?.n)).toBe(4);
  });
});
