/**
 * The audit log cannot be edited (issue 7): no code outside the migrations updates or deletes audit rows, and the
 * database itself refuses UPDATE, DELETE and TRUNCATE on audit_log (a trigger from 0009_privacy), on each kind.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../db/repositories/audit.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from './support/databases.ts';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.') || name === 'data') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

describe('the audit log in the code', () => {
  it('is only ever appended to: no route, repository or command updates or deletes audit rows', () => {
    const writers = /(updateTable|deleteFrom)\(\s*['"`]audit_log['"`]|\b(update\s+audit_log|delete\s+from\s+audit_log|truncate\s+(table\s+)?audit_log)\b/i;
    const offenders = ['app', 'bot', 'dashboards', 'db', 'pipeline']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      // Migrations create the table and its guard; nothing else may touch existing rows.
      .filter((path) => !path.includes(join('db', 'migrations')))
      .filter((path) => writers.test(readFileSync(path, 'utf8')))
      .map((path) => relative(root, path));
    expect(offenders).toEqual([]);
  });
});

describe.each(databaseKinds)('the audit log on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('refuses UPDATE, DELETE and TRUNCATE, and keeps every entry as written', async () => {
    const db = database.db;
    await appendAudit(db, { actor_kind: 'user', actor_id: 'u1', action: 'resident.access-lookup', municipality_code: 'GM0479', subject_type: 'resident', subject_id: 'r1' });
    const before = await db.selectFrom('audit_log').selectAll().execute();
    expect(before).toHaveLength(1);

    await expect(db.updateTable('audit_log').set({ action: 'nothing.happened' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    // Inside a transaction too: the refusal aborts it, nothing of it stays.
    await expect(
      db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actor_kind: 'system', actor_id: null, action: 'cover-up', municipality_code: null, subject_type: null, subject_id: null });
        await trx.deleteFrom('audit_log').where('action', '=', 'resident.access-lookup').execute();
      }),
    ).rejects.toThrow(/append-only/);

    expect(await db.selectFrom('audit_log').selectAll().execute()).toEqual(before);
    // Appending still works.
    await appendAudit(db, { actor_kind: 'system', actor_id: null, action: 'privacy.retention', municipality_code: 'GM0479', subject_type: null, subject_id: null });
    expect(await db.selectFrom('audit_log').select('action').orderBy('id').execute()).toEqual([{ action: 'resident.access-lookup' }, { action: 'privacy.retention' }]);
  });
});
