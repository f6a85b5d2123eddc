/**
 * Path traversal in the CLI imports (`wijkstem gazetteer import`, `wijkstem signals import`) on each database kind:
 * the operator's path is read as given (they may read that file anyway), only its base name is recorded in the
 * audit log, and a missing file is named without a stack. The dashboard's import is in security.test.ts.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../app/cli.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { createCliDatabase, createDataDir, databaseKinds, type CliDatabase } from './support/databases.ts';

describe.each(databaseKinds)('CLI imports and paths on %s', (kind) => {
  let database: CliDatabase;
  const files = createDataDir();

  async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdin: Readable.from([]), stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: database.env };
    const code = await runCli(argv, io);
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    database = await createCliDatabase(kind);
    mkdirSync(join(files.dir, 'sub'));
    copyFileSync(demoGazetteerPath, join(files.dir, 'gazetteer.csv'));
    writeFileSync(join(files.dir, 'notes.jsonl'), '{"id":"cli-pt-1","text":"Stoep kapot","municipality":"GM0479"}\n');
  });

  afterAll(async () => {
    await database.drop();
    files.drop();
  });

  it("reads the operator's path as given, records only the base name, and names a missing file without a stack", async () => {
    // The operator may read any file they can anyway: a path with ../ is theirs to give; it is not a way in for anyone else.
    const gazetteer = await cli(['gazetteer', 'import', join(files.dir, 'sub', '..', 'gazetteer.csv')]);
    expect(gazetteer.code, gazetteer.stderr).toBe(0);
    const signals = await cli(['signals', 'import', join(files.dir, 'sub', '..', 'notes.jsonl')]);
    expect(signals.code, signals.stderr).toBe(0);
    const recorded = await database.inspect((db) => db.selectFrom('audit_log').select(['action', 'details']).where('action', 'in', ['gazetteer.import', 'signals.import']).execute());
    const names = recorded.map((r) => (r.details as { file?: string }).file);
    expect(names).toContain('gazetteer.csv');
    expect(names).toContain('notes.jsonl');
    for (const name of names) expect(name).not.toMatch(/[\\/]/);
    for (const argv of [['signals', 'import', '../../../../nope/passwd.jsonl'], ['gazetteer', 'import', '../../../../nope/x.csv']]) {
      const missing = await cli(argv);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/cannot read .*nope/);
      expect(missing.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
