/**
 * The process as an operator meets it: `npm start`'s entry point with bad settings or unreachable services stops
 * with one clear line and a non-zero exit; a healthy one stops cleanly on SIGTERM, and a restart finds its data.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connect.ts';
import { createDataDir } from './support/databases.ts';
import { runWijkstem, startWijkstemProcess } from './support/app-process.ts';

const dirs: ReturnType<typeof createDataDir>[] = [];
function dataDir(): string {
  const d = createDataDir();
  dirs.push(d);
  return d.dir;
}
afterAll(() => {
  for (const d of dirs) d.drop();
});

async function failsWith(env: Record<string, string>, pattern: RegExp): Promise<string> {
  const run = runWijkstem(env);
  const code = await run.exited;
  expect(code, run.output()).toBe(1);
  expect(run.output()).toMatch(pattern);
  return run.output();
}

describe('start-up refuses what it cannot run on', () => {
  it('a bad environment value, naming the variable', async () => {
    await failsWith({ DATA_DIR: dataDir(), PORT: 'eighty' }, /invalid configuration:\n\s+- PORT: /);
  });

  it('an unreachable DATABASE_URL, without printing its password', async () => {
    const output = await failsWith(
      { DATABASE_URL: 'postgres://wijkstem:geheim-wachtwoord@127.0.0.1:1/wijkstem', WIJKSTEM_PSEUDONYM_KEY: 'k'.repeat(32) },
      /cannot start: cannot reach DATABASE_URL/,
    );
    expect(output).not.toContain('geheim-wachtwoord');
  });

  it('an unreachable REDIS_URL', async () => {
    await failsWith({ DATA_DIR: dataDir(), REDIS_URL: 'redis://127.0.0.1:1' }, /cannot start: cannot reach REDIS_URL/);
  });

  it('a DATA_DIR that is not a writable folder', async () => {
    const parent = dataDir();
    const file = join(parent, 'a-file');
    writeFileSync(file, 'not a folder');
    await failsWith({ DATA_DIR: join(file, 'data') }, /DATA_DIR .* is not a writable folder/);
    if (process.getuid?.() !== 0) {
      const readOnly = join(parent, 'read-only');
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o500);
      await failsWith({ DATA_DIR: readOnly }, /DATA_DIR/);
    }
  });

  it('a DATA_DIR already in use by another process', async () => {
    const dir = dataDir();
    const first = await startWijkstemProcess({ DATA_DIR: dir });
    try {
      await failsWith({ DATA_DIR: dir }, /in use by process \d+/);
    } finally {
      expect(await first.stop()).toBe(0);
    }
  }, 120_000);
});

describe('a healthy process', () => {
  it('prints its URL and the demo admin once, stops on SIGTERM, and keeps its data across a restart', async () => {
    const dir = dataDir();
    const first = await startWijkstemProcess({ DATA_DIR: dir });
    expect(first.output()).toMatch(/Wijkstem is ready at http:\/\/localhost:\d+/);
    expect(first.output()).toMatch(/password:\s+\S{20}/);
    const response = await fetch(`${first.url}/chat`, {
      method: 'POST',
      body: new URLSearchParams({ text: 'Een bericht dat een herstart moet overleven' }),
      headers: { origin: first.url },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    // Consent first (issue 3): the signal is stored once the resident says yes.
    const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const consent = await fetch(`${first.url}/chat`, { method: 'POST', body: new URLSearchParams({ choice: 'yes' }), headers: { origin: first.url, cookie }, redirect: 'manual' });
    expect(consent.status).toBe(303);
    expect(await first.stop()).toBe(0);
    // No message text in the logs.
    expect(first.output()).not.toContain('herstart moet overleven');

    const second = await startWijkstemProcess({ DATA_DIR: dir });
    expect(second.output()).not.toMatch(/password:/);
    expect(await second.stop()).toBe(0);

    const opened = await openDatabase({ dataDir: dir });
    try {
      const signals = await opened.db.selectFrom('signals').select(['status', 'text_redacted']).execute();
      expect(signals).toEqual([{ status: 'analysed', text_redacted: 'Een bericht dat een herstart moet overleven' }]);
    } finally {
      await opened.close();
    }
    // Two process starts, two posts and a full pipeline run: more than the default on a busy 2-core machine.
  }, 180_000);
});
