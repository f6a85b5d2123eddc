/**
 * `wijkstem analyse` (CONTRACTS.md section 1) through runCli on each database kind after importing the demo
 * gazetteer: one result line per input line in order, clusters, bad lines reported and skipped over, nothing
 * written; and once as a real process through the package's bin.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../app/cli.ts';
import type { Database } from '../db/database.ts';
import { demoGazetteerPath } from '../db/demo/index.ts';
import { createCliDatabase, databaseKinds, type CliDatabase } from './support/databases.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function cli(argv: string[], env: Record<string, string>, stdin: string | Readable = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: typeof stdin === 'string' ? Readable.from(stdin === '' ? [] : [stdin]) : stdin,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

const parseLines = (stdout: string) => stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

const input = [
  JSON.stringify({ id: 'a-1', text: 'De lantaarnpalen in de Vinkenstraat zijn al weken kapot, bel me op 06-12345678', source: 'whatsapp', municipality: 'GM0479' }),
  JSON.stringify({ id: 'a-2', text: 'schimmel in de badkamer, verhuurder doet niks', place: 'poelenburg', postcode: '1507 EA' }),
  '{"id": "broken", "text": ',
  JSON.stringify({ id: 'a-3', text: 'Vinkenstraat: lantaarnpaal kapot en het is donker', source: 'street' }),
  JSON.stringify({ text: 'zonder id' }),
  JSON.stringify({ id: 'a-4', text: 42 }),
  JSON.stringify({ id: 'a-5', text: 'ik voel me eenzaam', municipality: 'GM0453' }),
  JSON.stringify({ id: 'a-6', text: 'x'.repeat(100 * 1024) }),
  '\u0000\u0001\u00ff\u00fe garbage \u0002',
  JSON.stringify({ id: 'a-7', text: 'ik wil niet meer leven' }),
  JSON.stringify({ id: 'a-8', text: 'The bus does not stop in Krommenie anymore', municipality: 'GM0479' }),
].join('\n');


const rowCounts = (db: Kysely<Database>) =>
  Promise.all(
    (['signals', 'audit_log', 'municipalities', 'buurten'] as const).map(async (t) => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n)),
  );

describe.each(databaseKinds)('wijkstem analyse on %s', (kind) => {
  let database: CliDatabase;

  beforeAll(async () => {
    database = await createCliDatabase(kind);
    expect((await cli(['gazetteer', 'import', demoGazetteerPath], database.env)).code).toBe(0);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('writes one result line per input line, in order, with clusters, errors and nothing stored', async () => {
    const before = await database.inspect(rowCounts);
    const run = await cli(['analyse'], database.env, input);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = parseLines(run.stdout);
    expect(lines).toHaveLength(input.split('\n').length);
    expect(lines.map((l) => l.id)).toEqual(['a-1', 'a-2', undefined, 'a-3', undefined, 'a-4', 'a-5', 'a-6', undefined, 'a-7', 'a-8']);

    const [first, second, broken, third, noId, notString, unknown, tooLong, garbage, crisis, english] = lines;
    expect(Object.keys(first ?? {})).toEqual(['id', 'language', 'text_redacted', 'domains', 'review', 'neighborhood', 'sentiment', 'urgent', 'cluster']);
    expect(first).toMatchObject({
      language: 'nl',
      text_redacted: 'De lantaarnpalen in de Vinkenstraat zijn al weken kapot, bel me op [telefoon]',
      domains: [expect.objectContaining({ key: 'openbare_ruimte' })],
      neighborhood: { gemeente_code: 'GM0479', wijk_code: 'WK047901', buurt_code: 'BU04790102', name: 'Oostzijde' },
      urgent: false,
      cluster: 'c-1',
    });
    expect(third).toMatchObject({ cluster: 'c-1', neighborhood: { buurt_code: 'BU04790102' } });
    expect(second).toMatchObject({ neighborhood: { buurt_code: 'BU04790603' }, domains: [expect.objectContaining({ key: 'wonen' })], cluster: null });
    expect(broken).toEqual({ error: 'malformed JSON' });
    expect(noId).toEqual({ error: 'missing "id"' });
    expect(notString).toEqual({ id: 'a-4', error: '"text" must be a string' });
    expect(unknown).toEqual({ id: 'a-5', error: 'unknown municipality GM0453: import its gazetteer first' });
    expect(tooLong).toEqual({ id: 'a-6', error: 'text too long: 102400 characters, at most 20000' });
    expect(garbage).toEqual({ error: 'malformed JSON' });
    expect(crisis).toMatchObject({ id: 'a-7', urgent: true });
    expect(english).toMatchObject({ language: 'en', neighborhood: { wijk_code: 'WK047913', buurt_code: null } });
    expect(await database.inspect(rowCounts)).toEqual(before);
  });

  it('--municipality applies to lines without one; an unknown one is an error on each line, not a crash', async () => {
    const lines = `${JSON.stringify({ id: 'x', text: 'lift kapot in de Pharus' })}\n`;
    const zaanstad = await cli(['analyse', '--municipality', 'gm0479'], database.env, lines);
    expect(parseLines(zaanstad.stdout)[0]).toMatchObject({ id: 'x', neighborhood: { buurt_code: 'BU04790701' } });
    const own = JSON.stringify({ id: 'y', text: 'lift kapot in de Pharus', municipality: 'GM0479' });
    const velsen = await cli(['analyse', '--municipality', 'GM0453'], database.env, `${lines}${own}\n`);
    expect(velsen.code).toBe(0);
    const [x, y] = parseLines(velsen.stdout);
    expect(x).toEqual({ id: 'x', error: 'unknown municipality GM0453: import its gazetteer first' });
    // A line's own municipality wins over the default.
    expect(y).toMatchObject({ id: 'y', neighborhood: { buurt_code: 'BU04790701' } });
  });

  it('empty input gives empty output; bad options are usage errors', async () => {
    expect(await cli(['analyse'], database.env, '')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await cli(['analyse', '--municipality', 'Zaanstad'], database.env)).code).toBe(2);
    expect((await cli(['analyse', 'file.jsonl'], database.env)).code).toBe(2);
  });

  it('exits 1 when stdin cannot be read', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('EIO: i/o error'));
      },
    });
    const run = await cli(['analyse'], database.env, failing);
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'wijkstem analyse: cannot read stdin: EIO: i/o error\n' });
  });

  it('runs as a real process through the package bin', async () => {
    const child = spawn(process.execPath, ['app/bin/wijkstem.js', 'analyse'], { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...database.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(`${JSON.stringify({ id: 'p-1', text: 'Groetjes, Anna. De stoep in de Peperstraat ligt open.' })}\nnope\n`);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(parseLines(stdout)).toEqual([
      expect.objectContaining({ id: 'p-1', text_redacted: 'Groetjes, [naam]. De stoep in de Peperstraat ligt open.', neighborhood: expect.objectContaining({ buurt_code: 'BU04790103' }) as unknown }),
      { error: 'malformed JSON' },
    ]);
  });
});
