import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs on the embedded default with no environment at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, dataDir: './data', role: 'all', databaseUrl: undefined, redisUrl: undefined, loadDemo: true });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', REDIS_URL: '' })).toMatchObject({ port: 3000, redisUrl: undefined });
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ ROLE: 'api' }, /^ROLE: /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: expected a URL like postgres:/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: expected a URL like redis:/],
    [{ WIJKSTEM_MUNICIPALITY: 'Zaanstad' }, /^WIJKSTEM_MUNICIPALITY: expected a CBS code/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
  ])('names the bad variable: %o', (env, pattern) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(pattern);
  });

  it('refuses separate web and worker processes on the embedded database and queue', () => {
    expect(problems({ ROLE: 'worker' })[0]).toMatch(/ROLE=worker: .*DATABASE_URL and REDIS_URL/);
  });

  it('requires a pseudonym key with PostgreSQL', () => {
    expect(problems({ DATABASE_URL: 'postgres://db/wijkstem' })[0]).toMatch(/^WIJKSTEM_PSEUDONYM_KEY: required/);
    expect(problems({ DATABASE_URL: 'postgres://db/wijkstem', WIJKSTEM_PSEUDONYM_KEY: 'short' })[0]).toMatch(/^WIJKSTEM_PSEUDONYM_KEY: expected at least 32/);
  });

  it('reports every problem at once', () => {
    expect(problems({ PORT: 'x', ROLE: 'y' })).toHaveLength(2);
  });
});
