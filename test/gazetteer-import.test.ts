/**
 * Gazetteer import and the `wijkstem` command on each database kind: counts, idempotence, all-or-nothing, and the
 * `gazetteer import` and `users add` commands run in-process through runCli.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../app/cli.ts';
import { generatePassword, hashPassword, validateNewPassword, verifyPassword } from '../dashboards/auth/password.ts';
import type { Database } from '../db/database.ts';
import { DEMO_MUNICIPALITY, demoGazetteerPath } from '../db/demo/index.ts';
import { GazetteerFileError, GazetteerValidationError, importGazetteer, importGazetteerFile } from '../db/gazetteer/import.ts';
import { GAZETTEER_COLUMNS, parseGazetteer, type Gazetteer } from '../db/gazetteer/parse.ts';
import { getMunicipality, listBuurten, listWijken } from '../db/repositories/municipalities.ts';
import { findUserByEmail } from '../db/repositories/users.ts';
import { createCliDatabase, createDataDir, databaseKinds, openTestDatabase, type CliDatabase, type TestDatabase } from './support/databases.ts';

const demoText = readFileSync(demoGazetteerPath, 'utf8');
const demoCounts = { municipalities: 1, wijken: 15, buurten: 47 };
const HEADER = GAZETTEER_COLUMNS.join(',');
const velsenRows = [
  'GM0453,Velsen,WK045301,IJmuiden-Zuid,BU04530101,Zeewijk,1973,Zeewijkplein,4000,600,500,1000,1100,800',
  'GM0453,Velsen,WK045301,IJmuiden-Zuid,BU04530102,Oud-IJmuiden,1972,Kennemerlaan,3000,400,400,800,800,600',
  'GM0453,Velsen,WK045302,Velserbroek,BU04530201,Velserbroek,1991,,9000,1500,1100,2300,2500,1600',
];

function parsedOrThrow(text: string): Gazetteer {
  const result = parseGazetteer(text);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result;
}

async function tableCounts(db: Kysely<Database>): Promise<Record<'municipalities' | 'wijken' | 'buurten', number>> {
  const count = async (table: 'municipalities' | 'wijken' | 'buurten') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
  return { municipalities: await count('municipalities'), wijken: await count('wijken'), buurten: await count('buurten') };
}


async function cli(argv: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdin: Readable.from(stdin === '' ? [] : [stdin]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe.each(databaseKinds)('gazetteer import on %s', (kind) => {
  let tdb: TestDatabase;
  const files = createDataDir();
  beforeAll(async () => {
    tdb = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await tdb.drop();
    files.drop();
  });

  it('imports the demo file: counts, demo flag, postcodes and aliases as arrays, population', async () => {
    const counts = await importGazetteerFile(tdb.db, demoGazetteerPath, { demo: true });
    expect(counts).toEqual(demoCounts);
    expect(await tableCounts(tdb.db)).toEqual(demoCounts);
    expect(await getMunicipality(tdb.db, DEMO_MUNICIPALITY)).toMatchObject({ name: 'Zaanstad', is_demo: true, region: null });
    const schans = (await listBuurten(tdb.db, DEMO_MUNICIPALITY)).find((b) => b.name === 'Zaanse Schans');
    expect(schans).toMatchObject({ code: 'BU04790903', wijk_code: 'WK047909', postcodes: ['1509', '1509AW'] });
    expect(schans?.aliases).toContain('Kalverringdijk');
    expect(typeof schans?.inwoners).toBe('number');
    const empty = (await listBuurten(tdb.db, DEMO_MUNICIPALITY)).find((b) => b.name === 'Achtersluispolder');
    expect(empty).toMatchObject({ inwoners: null, inwoners_65_plus: null, aliases: [] });
  });

  it('is idempotent: a second import changes no row and adds none', async () => {
    const before = { wijken: await listWijken(tdb.db, DEMO_MUNICIPALITY), buurten: await listBuurten(tdb.db, DEMO_MUNICIPALITY) };
    expect(await importGazetteerFile(tdb.db, demoGazetteerPath, { demo: true })).toEqual(demoCounts);
    expect(await tableCounts(tdb.db)).toEqual(demoCounts);
    expect(await listWijken(tdb.db, DEMO_MUNICIPALITY)).toEqual(before.wijken);
    expect(await listBuurten(tdb.db, DEMO_MUNICIPALITY)).toEqual(before.buurten);
  });

  it('applies changed names, postcodes and figures on a re-import', async () => {
    const changed = demoText
      .replace(',Poelenburg-Oost,1507 1507EA,', ',Poelenburg-Oost (Vrije Watering),1507,')
      .replaceAll(',WK047915,Westzaan,', ',WK047915,Westzaan en Polder,');
    expect(await importGazetteer(tdb.db, parsedOrThrow(changed))).toEqual(demoCounts);
    expect(await tableCounts(tdb.db)).toEqual(demoCounts);
    const buurt = (await listBuurten(tdb.db, DEMO_MUNICIPALITY)).find((b) => b.code === 'BU04790603');
    expect(buurt).toMatchObject({ name: 'Poelenburg-Oost (Vrije Watering)', postcodes: ['1507'] });
    expect((await listWijken(tdb.db, DEMO_MUNICIPALITY)).find((w) => w.code === 'WK047915')?.name).toBe('Westzaan en Polder');
    // Imported without the demo flag: now it is the municipality's own gazetteer.
    expect((await getMunicipality(tdb.db, DEMO_MUNICIPALITY))?.is_demo).toBe(false);
  });

  it('imports nothing from a file with one bad row among good ones', async () => {
    const before = await tableCounts(tdb.db);
    const path = join(files.dir, 'velsen.csv');
    const bad = 'GM0453,Velsen,WK045302,Velserbroek,BU04530202,Velserbroek-Zuid,1991,,veel,,,,,';
    writeFileSync(path, `${HEADER}\n${velsenRows.join('\n')}\n${bad}\n`);
    const error = await importGazetteerFile(tdb.db, path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GazetteerValidationError);
    expect((error as GazetteerValidationError).errors).toEqual([{ line: 5, message: expect.stringMatching(/inwoners "veel"/) as unknown }]);
    expect(await tableCounts(tdb.db)).toEqual(before);
    expect(await getMunicipality(tdb.db, 'GM0453')).toBeUndefined();
  });

  it('rolls back everything when the database refuses a row half-way', async () => {
    const before = await tableCounts(tdb.db);
    const [buurt] = parsedOrThrow(`${HEADER}\n${velsenRows[0] ?? ''}\n`).buurten;
    if (!buurt) throw new Error('expected a buurt');
    const broken: Gazetteer = {
      municipalities: [{ code: 'GM0999', name: 'Nergenshuizen' }],
      wijken: [],
      // No such wijk: the foreign key fails after the municipality was written in the same transaction.
      buurten: [{ ...buurt, code: 'BU09990101', wijkCode: 'WK099901', municipalityCode: 'GM0999' }],
    };
    await expect(importGazetteer(tdb.db, broken)).rejects.toThrow();
    expect(await getMunicipality(tdb.db, 'GM0999')).toBeUndefined();
    expect(await tableCounts(tdb.db)).toEqual(before);
  });

  it("runs inside a caller's transaction and rolls back with it", async () => {
    const before = await tableCounts(tdb.db);
    const velsen = parsedOrThrow(`${HEADER}\n${velsenRows.join('\n')}\n`);
    const run = tdb.db.transaction().execute(async (trx) => {
      expect(await importGazetteer(trx, velsen)).toEqual({ municipalities: 1, wijken: 2, buurten: 3 });
      expect(await listBuurten(trx, 'GM0453')).toHaveLength(3);
      throw new Error('the caller gives up');
    });
    await expect(run).rejects.toThrow('the caller gives up');
    expect(await getMunicipality(tdb.db, 'GM0453')).toBeUndefined();
    expect(await tableCounts(tdb.db)).toEqual(before);
  });

  it('gives a clear error for a missing file', async () => {
    await expect(importGazetteerFile(tdb.db, '/nonexistent/gazetteer.csv')).rejects.toThrow(GazetteerFileError);
    await expect(importGazetteerFile(tdb.db, '/nonexistent/gazetteer.csv')).rejects.toThrow(/cannot read gazetteer file \/nonexistent\/gazetteer.csv: no such file/);
  });
});

describe.each(databaseKinds)('wijkstem command on %s', (kind) => {
  let database: CliDatabase;
  const files = createDataDir();
  const dir = files.dir;
  const password = 'correct horse battery staple';
  beforeAll(async () => {
    database = await createCliDatabase(kind);
  });
  afterAll(async () => {
    await database.drop();
    files.drop();
  });

  it('gazetteer import: a bad file prints each bad line, imports nothing and exits 1', async () => {
    const path = join(dir, 'bad.csv');
    writeFileSync(
      path,
      `# Velsen, with mistakes\n${HEADER}\n${velsenRows[0] ?? ''}\nGM0453,Velsen,WK045301,IJmuiden-Zuid,BU0453010,Dorp,1973,,,,,,,\n${velsenRows[1] ?? ''}\nGM0453,Velsen,WK045302,Velserbroek,BU04530201,,19 91,,,,,,,\n`,
    );
    const run = await cli(['gazetteer', 'import', path], database.env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      'line 4: buurt_code "BU0453010" is not BU followed by 8 digits',
      'line 6: buurt (the name) is empty',
      'line 6: postcode "19" is not a PC4 (1971) or PC6 (1971AB, without a space) value',
      'line 6: postcode "91" is not a PC4 (1971) or PC6 (1971AB, without a space) value',
      `wijkstem gazetteer import: ${path}: 2 bad lines, nothing imported`,
      '',
    ]);
    expect(await database.inspect(tableCounts)).toEqual({ municipalities: 0, wijken: 0, buurten: 0 });
  });

  it('gazetteer import: a missing file is one line on stderr and exit 1', async () => {
    const run = await cli(['gazetteer', 'import', join(dir, 'missing.csv')], database.env);
    expect(run).toEqual({ code: 1, stdout: '', stderr: `wijkstem gazetteer import: cannot read gazetteer file ${join(dir, 'missing.csv')}: no such file\n` });
  });

  it('gazetteer import: imports the demo file and prints a summary; twice is the same', async () => {
    for (let i = 0; i < 2; i++) {
      const run = await cli(['gazetteer', 'import', demoGazetteerPath], database.env);
      expect(run).toEqual({ code: 0, stdout: 'imported 1 municipality, 15 wijken, 47 buurten\n', stderr: '' });
    }
    expect(await database.inspect(tableCounts)).toEqual(demoCounts);
    const audit = await database.inspect((db) => db.selectFrom('audit_log').selectAll().where('action', '=', 'gazetteer.import').execute());
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ municipality_code: DEMO_MUNICIPALITY, details: { file: 'zaanstad.csv', wijken: 15, buurten: 47 } });
  });

  it('users add: reads the password from stdin and stores a scrypt hash, never echoing it', async () => {
    const run = await cli(['users', 'add', '--email', 'Anna@Example.nl', '--role', 'council', '--municipality', 'GM0479'], database.env, `${password}\n`);
    expect(run).toEqual({ code: 0, stdout: 'created user anna@example.nl (council) for GM0479\n', stderr: '' });
    const user = await database.inspect((db) => findUserByEmail(db, 'anna@example.nl'));
    expect(user).toMatchObject({ role: 'council', municipality_code: 'GM0479' });
    expect(user?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(user?.password_hash).not.toContain(password);
    expect(await verifyPassword(password, user?.password_hash ?? '')).toBe(true);
    expect(await verifyPassword(`${password}\n`, user?.password_hash ?? '')).toBe(false);
    const audit = await database.inspect((db) => db.selectFrom('audit_log').selectAll().where('action', '=', 'user.create').execute());
    expect(audit).toEqual([expect.objectContaining({ subject_id: user?.id, municipality_code: 'GM0479', details: { role: 'council' } })]);
  });

  it('users add: refuses a duplicate e-mail address', async () => {
    const run = await cli(['users', 'add', '--email', 'anna@example.NL', '--role', 'admin', '--municipality', 'GM0479'], database.env, 'another long password');
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'wijkstem users add: a user with e-mail anna@example.nl already exists\n' });
  });

  it('users add: refuses an unknown municipality', async () => {
    const run = await cli(['users', 'add', '--email', 'bob@example.nl', '--role', 'team', '--municipality', 'GM0453'], database.env, password);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^wijkstem users add: unknown municipality GM0453: import its gazetteer first/);
    expect(await database.inspect((db) => findUserByEmail(db, 'bob@example.nl'))).toBeUndefined();
  });

  it('users add: refuses an empty or short password without echoing it', async () => {
    const empty = await cli(['users', 'add', '--email', 'bob@example.nl', '--role', 'team', '--municipality', 'GM0479'], database.env, '\n');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no password on stdin/);
    const short = await cli(['users', 'add', '--email', 'bob@example.nl', '--role', 'team', '--municipality', 'GM0479'], database.env, 'geheim123\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toBe('wijkstem users add: the password must be at least 12 characters long\n');
    expect(short.stderr + short.stdout).not.toContain('geheim123');
    expect(await database.inspect((db) => findUserByEmail(db, 'bob@example.nl'))).toBeUndefined();
  });

  it('reports a bad configuration in one line', async () => {
    const run = await cli(['gazetteer', 'import', demoGazetteerPath], { DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'wijkstem gazetteer import: invalid configuration: WIJKSTEM_PSEUDONYM_KEY: required with DATABASE_URL (a random secret of at least 32 characters; keep it, residents are recognised by it)\n',
    );
  });
});

describe('wijkstem usage', () => {
  const env = { DATA_DIR: '/nonexistent' };

  it('--help prints the commands and exits 0', async () => {
    const run = await cli(['--help'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wijkstem gazetteer import FILE.csv');
    expect(run.stdout).toContain('wijkstem users add --email E --role admin|council|team|region --municipality GM0453');
  });

  it('no command, an unknown command or a bad option is a usage error: exit 2', async () => {
    expect((await cli([], env)).code).toBe(2);
    const unknown = await cli(['frobnicate', '--now'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^wijkstem: unknown command "frobnicate"\n\nusage: wijkstem COMMAND/);
    const option = await cli(['gazetteer', 'import', '--force', 'x.csv'], env);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/^wijkstem gazetteer import: Unknown option '--force'.*\nusage: wijkstem gazetteer import FILE.csv\n$/);
    expect((await cli(['gazetteer', 'import'], env)).stderr).toBe('wijkstem gazetteer import: missing FILE.csv\nusage: wijkstem gazetteer import FILE.csv\n');
  });

  it('users add checks its options before reading stdin or opening the database', async () => {
    const args = ['users', 'add', '--email', 'a@example.nl', '--role', 'boss', '--municipality', 'GM0479'];
    expect(await cli(args, env, generatePassword())).toMatchObject({ code: 2, stderr: expect.stringMatching(/--role must be one of admin, council, team, region/) as unknown });
    expect((await cli(['users', 'add', '--role', 'admin', '--municipality', 'GM0479'], env)).stderr).toMatch(/--email is required/);
    expect((await cli(['users', 'add', '--email', 'nope', '--role', 'admin', '--municipality', 'GM0479'], env)).code).toBe(2);
    expect((await cli(['users', 'add', '--email', 'a@example.nl', '--role', 'admin', '--municipality', '0479'], env)).code).toBe(2);
  });

  it('a command --help prints its usage and exits 0', async () => {
    const run = await cli(['users', 'add', '--help'], env);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: wijkstem users add --email E/) as unknown });
  });
});

describe('passwords', () => {
  it('hash with a fresh salt and verify only the right password', async () => {
    const a = await hashPassword('een lang wachtwoord');
    const b = await hashPassword('een lang wachtwoord');
    expect(a).not.toBe(b);
    expect(await verifyPassword('een lang wachtwoord', a)).toBe(true);
    expect(await verifyPassword('een lang wachtwoorD', a)).toBe(false);
  });

  it('refuse stored values that are not scrypt hashes of this form', async () => {
    const stored = await hashPassword('een lang wachtwoord');
    const parts = stored.split('$');
    for (const bad of ['', 'plain', stored.replace('scrypt$', 'bcrypt$'), [...parts.slice(0, 5), ''].join('$'), ['scrypt', '3', ...parts.slice(2)].join('$'), ['scrypt', String(2 ** 30), ...parts.slice(2)].join('$')]) {
      expect(await verifyPassword('een lang wachtwoord', bad)).toBe(false);
    }
  });

  it('validate new passwords by length', () => {
    expect(validateNewPassword('kort')).toMatch(/at least 12 characters/);
    expect(validateNewPassword('x'.repeat(12))).toBeUndefined();
    expect(validateNewPassword('x'.repeat(1025))).toMatch(/at most 1024 characters/);
  });

  it('generate random URL-safe passwords that pass validation', () => {
    const generated = generatePassword();
    expect(generated).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(generatePassword()).not.toBe(generated);
    expect(validateNewPassword(generated)).toBeUndefined();
  });
});
