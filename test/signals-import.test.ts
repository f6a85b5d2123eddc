/**
 * The batch way in and out: the shared import parser (CONTRACTS.md section 4, JSONL and CSV), and the
 * `signals import` / `signals export` commands run in-process through runCli on each database kind, with the
 * queue on real Redis where configured.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deleteRedisKeys } from './support/redis.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../app/cli.ts';
import { parseSince } from '../app/signals-cli.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { importGazetteerFile } from '../db/gazetteer/import.ts';
import { upsertMunicipality } from '../db/repositories/municipalities.ts';
import { assignMunicipalities, detectFormat, parseSignalImport, type ImportError } from '../pipeline/intake/signal-import.ts';
import { createBullMqQueue } from '../pipeline/queue/index.ts';
import { createCliDatabase, createDataDir, databaseKinds, type CliDatabase } from './support/databases.ts';
import { redisUrl, uniqueName } from './support/services.ts';

const messages = (errors: ImportError[]) => errors.map(({ line, message }) => ({ line, message }));

describe('import parser', () => {
  it('reads JSONL with optional fields, skipping blank lines, and defaults the source to import', () => {
    const result = parseSignalImport(
      '\uFEFF{"id": "a-1", "text": " De lift is kapot ", "source": "whatsapp", "municipality": "gm0453", "postcode": "1973 KL", "place": "zeewijk"}\r\n\r\n{"id": "a-2", "text": "x", "language": "en", "domains": []}\n',
      'jsonl',
    );
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      { line: 1, id: 'a-1', text: 'De lift is kapot', source: 'whatsapp', municipality: 'GM0453', postcode: '1973 KL', place: 'zeewijk', language: null },
      { line: 3, id: 'a-2', text: 'x', source: 'import', municipality: null, postcode: null, place: null, language: 'en' },
    ]);
  });

  it('names every bad JSONL line and why', () => {
    const lines = [
      '{"id": "ok", "text": "fine"}',
      '{"id": "b", "text": ',
      '["id", "text"]',
      '{"text": "no id"}',
      '{"id": "e", "text": "   "}',
      '{"id": 7, "text": "number id"}',
      '{"id": "g", "text": "y", "source": "telegram"}',
      '{"id": "h", "text": "y", "municipality": "Zaanstad"}',
      '{"id": "ok", "text": "again"}',
      `{"id": "j", "text": "${'x'.repeat(4001)}"}`,
    ];
    const { errors, rows } = parseSignalImport(lines.join('\n'), 'jsonl');
    expect(rows.map((r) => r.id)).toEqual(['ok', 'ok']);
    expect(messages(errors)).toEqual([
      { line: 2, message: 'not valid JSON' },
      { line: 3, message: 'expected a JSON object such as {"id": "a-1", "text": "…"}' },
      { line: 4, message: 'id is required' },
      { line: 5, message: 'text is empty' },
      { line: 6, message: 'id must be text' },
      { line: 7, message: 'source "telegram" is not one of whatsapp, web, street, import' },
      { line: 8, message: 'municipality "Zaanstad" is not a GM code such as GM0453' },
      { line: 9, message: 'id "ok" is also on line 1' },
      { line: 10, message: 'text is longer than 4000 characters' },
    ]);
  });

  it('reads CSV with the documented header in any order, quoted commas and line breaks, and reports the line each row starts on', () => {
    const csv = 'text,id,place\r\n"Eén, twee",c1,Zeewijk\r\n\r\n"over\r\ntwee regels",c2,\r\n,c3,\r\nvier,c4\r\n';
    const { rows, errors } = parseSignalImport(csv, 'csv');
    expect(rows.map((r) => [r.line, r.id, r.text, r.place])).toEqual([
      [2, 'c1', 'Eén, twee', 'Zeewijk'],
      [4, 'c2', 'over\ntwee regels', null],
    ]);
    expect(messages(errors)).toEqual([
      { line: 6, message: 'text is empty' },
      { line: 7, message: 'expected 3 columns, found 2' },
    ]);
  });

  it('refuses a CSV header without id or text, or with unknown columns, and broken quoting', () => {
    expect(messages(parseSignalImport('id,tekst\na,b\n', 'csv').errors)).toEqual([
      { line: 1, message: 'header: missing column text; unknown column tekst; expected id,text,source,postcode,place,language' },
    ]);
    expect(parseSignalImport('id,text\na,"open\nb,c\n', 'csv').errors[0]?.message).toMatch(/^not valid CSV: Quote Not Closed/);
    expect(messages(parseSignalImport('', 'csv').errors)).toEqual([{ line: 1, message: 'the file has no signals' }]);
    expect(messages(parseSignalImport('id,text\n', 'csv').errors)).toEqual([{ line: 1, message: 'the file has no signals' }]);
  });

  it('detects the format by file name, else by content', () => {
    expect(detectFormat('notes.JSONL', 'id,text')).toBe('jsonl');
    expect(detectFormat('notes.csv', '{"id":1}')).toBe('csv');
    expect(detectFormat(undefined, '  {"id": "a"}')).toBe('jsonl');
    expect(detectFormat('', 'id,text')).toBe('csv');
  });

  it('settles municipalities: a row\'s own, else the fallback; a row naming one not allowed is an error', () => {
    const parsed = parseSignalImport('{"id":"1","text":"a"}\n{"id":"2","text":"b","municipality":"GM0880"}\n{"id":"3","text":"c","municipality":"GM0479"}', 'jsonl');
    const own = assignMunicipalities(parsed, { fallback: 'GM0479', allowed: (c) => c === 'GM0479', refusal: (code) => ({ kind: 'municipality_not_yours', code, own: 'GM0479' }) });
    expect(own.rows.map((r) => [r.id, r.municipality])).toEqual([
      ['1', 'GM0479'],
      ['3', 'GM0479'],
    ]);
    expect(own.errors).toEqual([
      {
        line: 2,
        problem: { kind: 'municipality_not_yours', code: 'GM0880', own: 'GM0479' },
        message: "municipality GM0880 is not yours (GM0479); import only your own municipality's signals",
      },
    ]);
    const none = assignMunicipalities(parsed, { fallback: undefined, allowed: () => true, refusal: (code) => ({ kind: 'municipality_unknown', code }) });
    expect(messages(none.errors)).toEqual([{ line: 1, message: 'municipality is required (a GM code such as GM0453)' }]);
  });

  it('reads --since as a date or a timestamp, and refuses impossible dates', () => {
    expect(parseSince('2026-01-01')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parseSince('2026-03-01T12:00:00+01:00')?.toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(parseSince('2026-02-31')).toBeUndefined();
    expect(parseSince('gisteren')).toBeUndefined();
  });
});


async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdin: Readable.from([]), stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe.each(databaseKinds)('signals import and export on %s', (kind) => {
  let database: CliDatabase;
  const files = createDataDir();
  const file = (name: string, content: string) => {
    const path = join(files.dir, name);
    writeFileSync(path, content);
    return path;
  };
  const signalCount = () =>
    database.inspect(async (db) => Number((await db.selectFrom('signals').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n));

  beforeAll(async () => {
    database = await createCliDatabase(kind);
    await database.inspect(async (db) => {
      await importGazetteerFile(db, demoGazetteerPath, { demo: true });
      await upsertMunicipality(db, { code: 'GM0880', name: 'Wormerland', region: null });
    });
  });
  afterAll(async () => {
    await database.drop();
    files.drop();
  });

  it('refuses a file with a bad line: prints line N: reason, stores nothing, exits 1', async () => {
    const path = file('bad.jsonl', '{"id":"s-1","text":"goed","municipality":"GM0479"}\n{"id":"s-2","municipality":"GM0479"}\n{"id":"s-3","text":"x","municipality":"GM9999"}\n');
    const run = await cli(['signals', 'import', path], database.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 2: text is required\n');
    expect(run.stderr).toContain(`wijkstem signals import: ${path}: 1 bad line, nothing stored`);
    const unknown = await cli(['signals', 'import', file('unknown.jsonl', '{"id":"s-1","text":"x","municipality":"GM9999"}\n{"id":"s-2","text":"y"}\n')], database.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('line 1: unknown municipality GM9999');
    expect(unknown.stderr).toContain('line 2: municipality is required');
    expect(await signalCount()).toBe(0);
    expect((await cli(['signals', 'import', join(files.dir, 'missing.jsonl')], database.env)).code).toBe(1);
    expect((await cli(['signals', 'import'], database.env)).code).toBe(2);
    expect((await cli(['signals', 'import', path, '--municipality', 'Zaanstad'], database.env)).code).toBe(2);
  });

  it('stores the signals as new, for the sweep on the embedded default, and stores nothing again on a re-import', async () => {
    const path = file(
      'notes.jsonl',
      [
        '{"id":"n-1","text":"Bel me op 06-12345678 over de schuldhulp","source":"street","place":"Rosmolen"}',
        '{"id":"n-2","text":"Geen bankjes bij de bushalte","municipality":"GM0880"}',
      ].join('\n'),
    );
    const run = await cli(['signals', 'import', path, '--municipality', 'GM0479'], database.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('stored 2 signals; on the embedded default they wait as new until Wijkstem runs: its sweep queues them\n');
    const rows = await database.inspect((db) => db.selectFrom('signals').selectAll().orderBy('external_id').execute());
    expect(rows.map((r) => [r.external_id, r.municipality_code, r.source, r.status, r.place_answer])).toEqual([
      ['n-1', 'GM0479', 'street', 'new', 'Rosmolen'],
      ['n-2', 'GM0880', 'import', 'new', null],
    ]);
    const again = await cli(['signals', 'import', path, '--municipality', 'GM0479'], database.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('stored 0 signals, skipped 2 imported before\n');
    expect(await signalCount()).toBe(2);
    const audit = await database.inspect((db) => db.selectFrom('audit_log').selectAll().where('action', '=', 'signals.import').execute());
    expect(audit.length).toBe(4);
  });

  it('reads CSV too', async () => {
    const run = await cli(['signals', 'import', file('notes.csv', 'id,text,source,postcode,place,language\nk-1,"Te weinig, veel te weinig",street,1502,,nl\n'), '--municipality', 'GM0479'], database.env);
    expect(run.code).toBe(0);
    const row = await database.inspect((db) => db.selectFrom('signals').selectAll().where('external_id', '=', 'k-1').executeTakeFirstOrThrow());
    expect([row.text_raw, row.postcode_answer, row.language_hint]).toEqual(['Te weinig, veel te weinig', '1502', 'nl']);
  });

  it('queues the stored signals on BullMQ when REDIS_URL is set', async (context) => {
    if (!redisUrl) context.skip();
    const url = redisUrl ?? '';
    const prefix = uniqueName('wijkstem_import');
    try {
      const run = await cli(['signals', 'import', file('queued.jsonl', '{"id":"q-1","text":"a"}\n{"id":"q-2","text":"b"}\n'), '--municipality', 'GM0479'], {
        ...database.env,
        REDIS_URL: url,
        WIJKSTEM_QUEUE_PREFIX: prefix,
      });
      expect(run.stdout).toBe('stored 2 signals; queued for the pipeline\n');
      const queue = createBullMqQueue({ redisUrl: url, prefix, retry: { attempts: 1, backoffMs: 0 } });
      try {
        expect((await queue.counts()).waiting).toBe(2);
      } finally {
        await queue.close();
      }
    } finally {
      await deleteRedisKeys(url, `${prefix}:*`);
    }
  });

  it('exports redacted signals with their analysis as JSONL, never raw text, filtered by municipality and date', async () => {
    await database.inspect(async (db) => {
      await db
        .updateTable('signals')
        .set({
          status: 'analysed',
          text_redacted: 'Bel me op [telefoon] over de schuldhulp',
          language: 'nl',
          domains: JSON.stringify([{ key: 'zorg', confidence: 0.4 }, { key: 'geld', confidence: 0.9 }]),
          wijk_code: 'WK047904',
          buurt_code: 'BU04790401',
          sentiment: -0.5,
          cluster_id: 'c-1',
        })
        .where('external_id', '=', 'n-1')
        .execute();
    });
    const run = await cli(['signals', 'export', '--municipality', 'gm0479'], database.env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.municipality)).toEqual(lines.map(() => 'GM0479'));
    const analysed = lines.find((l) => l.id === 'n-1');
    expect(analysed).toEqual({
      id: 'n-1',
      municipality: 'GM0479',
      language: 'nl',
      text_redacted: 'Bel me op [telefoon] over de schuldhulp',
      domains: [{ key: 'geld', confidence: 0.9 }, { key: 'zorg', confidence: 0.4 }],
      review: false,
      neighborhood: { gemeente_code: 'GM0479', wijk_code: 'WK047904', buurt_code: 'BU04790401', name: 'Rosmolenwijk-Noord' },
      sentiment: -0.5,
      urgent: false,
      cluster: 'c-1',
      source: 'street',
      received_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
      status: 'analysed',
    });
    const pending = lines.find((l) => l.id === 'k-1');
    expect(pending).toMatchObject({ text_redacted: null, language: null, domains: [], review: false, neighborhood: null, sentiment: null, urgent: false, cluster: null, status: 'new' });
    expect(run.stdout).not.toContain('06-12345678');
    expect(run.stdout).not.toContain('Te weinig, veel');

    const all = await cli(['signals', 'export'], database.env);
    expect(all.stdout.trimEnd().split('\n').some((l) => l.includes('"GM0880"'))).toBe(true);
    expect((await cli(['signals', 'export', '--since', '2999-01-01'], database.env)).stdout).toBe('');
    expect((await cli(['signals', 'export', '--since', 'gisteren'], database.env)).code).toBe(2);
    const unknown = await cli(['signals', 'export', '--municipality', 'GM9999'], database.env);
    expect([unknown.code, unknown.stderr]).toEqual([1, 'wijkstem signals export: unknown municipality GM9999\n']);
  });
});
