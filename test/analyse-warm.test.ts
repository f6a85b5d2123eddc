/**
 * The worker trains the domain classifier at start, before it takes jobs, so the first signal does not wait for it
 * (issue 4). Its own file: the classifier is per process, and no other test may have trained it first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../app/config.ts';
import { createLogger } from '../app/logger.ts';
import { startWijkstem, type RunningApp } from '../app/start.ts';
import { defaultClassifierReady } from '../pipeline/analysis/context.ts';

describe('worker start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wijkstem-warm-'));
  let app: RunningApp | undefined;
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has the classifier built when the worker is up, before any job ran', async () => {
    expect(defaultClassifierReady()).toBe(false);
    const config = loadConfig({ DATA_DIR: dataDir, ROLE: 'all', PORT: '0', HOST: '127.0.0.1', WIJKSTEM_DEMO: 'false' });
    app = await startWijkstem(config, createLogger('silent'), () => undefined);
    // No signal exists, so no job can have trained it: only the start-up did.
    expect(await app.database.db.selectFrom('signals').select('id').execute()).toEqual([]);
    expect(defaultClassifierReady()).toBe(true);
    // Migrations and training on a loaded 2-core machine: generous, and not a speed assertion.
  }, 180_000);
});
