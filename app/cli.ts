/**
 * The `wijkstem` command (CONTRACTS.md section 1). A small dispatcher over a table of commands, so later issues add
 * `analyse` and `signals …` as one more entry. runCli takes its streams and environment as arguments and returns the
 * exit code, so tests run it in-process: 0 success, 1 failure, 2 usage error.
 */
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { openDatabase } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { GazetteerValidationError, importGazetteer, readGazetteerFile } from '../db/gazetteer/import.ts';
import { boundariesImport, boundariesImportArgs } from '../db/gazetteer/boundaries-cli.ts';
import { MigrationError } from '../db/migrations/index.ts';
import { appendAudit } from '../db/repositories/audit.ts';
import { getMunicipality } from '../db/repositories/municipalities.ts';
import { createUser } from '../db/repositories/users.ts';
import { userRoles, type UserRole } from '../db/tables/user.table.ts';
import { hashPassword, validateNewPassword } from '../dashboards/auth/password.ts';
import { analyseBatch, parseSignalLine, type AnalysisError, type SignalInput } from '../pipeline/analysis/analyse.ts';
import { loadAnalyser } from '../pipeline/analysis/context.ts';
import { ConfigError, loadConfig } from './config.ts';
import { exportArgs, importArgs, signalsExport, signalsImport } from './signals-cli.ts';

export interface CliIo {
  stdin: AsyncIterable<Uint8Array | string> & { isTTY?: boolean };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

interface CommandContext {
  io: CliIo;
  values: OptionValues;
  positionals: string[];
}

interface Command {
  /** The words that name it: ['gazetteer', 'import']. */
  path: readonly string[];
  /** Arguments after the path, for usage lines. */
  args: string;
  summary: string;
  options?: Record<string, { type: 'string' | 'boolean' }>;
  run(ctx: CommandContext): Promise<number>;
}

/** Wrong arguments: the command's usage is printed and the exit code is 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the user can act on; its message is printed as is and the exit code is 1. */
class CliError extends Error {
  override readonly name = 'CliError';
}

const commands: Command[] = [
  {
    path: ['gazetteer', 'import'],
    args: 'FILE.csv',
    summary: 'import or update municipalities, wijken and buurten from a gazetteer CSV (idempotent)',
    run: gazetteerImport,
  },
  {
    path: ['boundaries', 'import'],
    args: boundariesImportArgs,
    summary: 'import wijk and buurt outlines (CBS Wijk- en Buurtkaart GeoJSON, WGS84 or RD) for the map (idempotent)',
    run: ({ io, positionals }) => boundariesImport(io, positionals, (fn) => withDatabase(io.env, fn)),
  },
  {
    path: ['analyse'],
    args: '[--municipality GM0453] < signals.jsonl',
    summary: 'analyse signals (JSONL on stdin) and write one result line per input line on stdout; writes nothing',
    options: { municipality: { type: 'string' } },
    run: analyse,
  },
  {
    path: ['users', 'add'],
    args: '--email E --role admin|council|team|region --municipality GM0453',
    summary: 'create a dashboard user; the password is read from stdin',
    options: { email: { type: 'string' }, role: { type: 'string' }, municipality: { type: 'string' } },
    run: usersAdd,
  },
  {
    path: ['signals', 'import'],
    args: importArgs,
    summary: 'store signals (JSONL or CSV) and queue them for the pipeline; idempotent on id; a bad line stores nothing',
    options: { municipality: { type: 'string' } },
    run: ({ io, values, positionals }) => signalsImport(io, positionals, { municipality: optionalString(values.municipality) }),
  },
  {
    path: ['signals', 'export'],
    args: exportArgs,
    summary: 'write stored signals with their analysis as JSONL (redacted text only)',
    options: { municipality: { type: 'string' }, since: { type: 'string' } },
    run: ({ io, values, positionals }) =>
      signalsExport(io, positionals, { municipality: optionalString(values.municipality), since: optionalString(values.since) }),
  },
];

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = [...argv];
  const first = args[0];
  if (first === undefined) {
    io.stderr.write(usage());
    return 2;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(usage());
    return 0;
  }
  const command = commands.find((c) => c.path.every((word, i) => args[i] === word));
  if (!command) {
    const words = args.slice(0, 2).filter((a) => !a.startsWith('-')).join(' ');
    io.stderr.write(`wijkstem: unknown command "${words || first}"\n\n${usage()}`);
    return 2;
  }
  const name = `wijkstem ${command.path.join(' ')}`;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: args.slice(command.path.length),
        options: { help: { type: 'boolean', short: 'h' }, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(messageOf(error));
    }
    if (parsed.values.help === true) {
      io.stdout.write(`usage: ${name} ${command.args}\n\n${command.summary}\n`);
      return 0;
    }
    return await command.run({ io, values: parsed.values, positionals: parsed.positionals });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${name}: ${error.message}\nusage: ${name} ${command.args}\n`);
      return 2;
    }
    io.stderr.write(`${name}: ${messageOf(error)}\n`);
    return 1;
  }
}

function usage(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  const full = commands.map((c) => `  wijkstem ${c.path.join(' ')} ${c.args}`);
  return [
    'usage: wijkstem COMMAND [options]',
    '',
    'commands:',
    ...lines,
    '',
    ...full,
    '',
    'The database is PostgreSQL when DATABASE_URL is set, otherwise the embedded one in DATA_DIR (default ./data).',
    "Run 'wijkstem COMMAND --help' for one command.",
    '',
  ].join('\n');
}

/** One line for the user. */
function messageOf(error: unknown): string {
  if (error instanceof ConfigError) return `invalid configuration: ${error.problems.join('; ')}`;
  if (!(error instanceof Error)) return String(error);
  // A failed migration names only the migration; the reason is in its cause.
  const message = error instanceof MigrationError && error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return message.replace(/\s*\n\s*/g, ' ');
}

async function withDatabase<T>(env: CliIo['env'], fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const config = loadConfig(env);
  const opened = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    return await fn(opened.db);
  } finally {
    await opened.close();
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

async function gazetteerImport({ io, positionals }: CommandContext): Promise<number> {
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('missing FILE.csv');
  if (extra.length > 0) throw new UsageError(`one file at a time; unexpected ${extra.join(' ')}`);
  let gazetteer;
  try {
    // Validated before the database is opened: a bad file never touches it.
    gazetteer = await readGazetteerFile(file);
  } catch (error) {
    if (!(error instanceof GazetteerValidationError)) throw error;
    for (const e of error.errors) io.stderr.write(`line ${e.line}: ${e.message}\n`);
    io.stderr.write(`wijkstem gazetteer import: ${error.message}\n`);
    return 1;
  }
  const counts = await withDatabase(io.env, async (db) => {
    const imported = await importGazetteer(db, gazetteer);
    for (const m of gazetteer.municipalities) {
      await appendAudit(db, {
        actor_kind: 'system',
        actor_id: 'cli',
        action: 'gazetteer.import',
        municipality_code: m.code,
        details: {
          file: basename(file),
          wijken: gazetteer.wijken.filter((w) => w.municipalityCode === m.code).length,
          buurten: gazetteer.buurten.filter((b) => b.municipalityCode === m.code).length,
        },
      });
    }
    return imported;
  });
  io.stdout.write(
    `imported ${plural(counts.municipalities, 'municipality', 'municipalities')}, ${plural(counts.wijken, 'wijk', 'wijken')}, ${plural(counts.buurten, 'buurt', 'buurten')}\n`,
  );
  return 0;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function stringOption(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

function optionalString(value: OptionValues[string]): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isUserRole(value: string): value is UserRole {
  return (userRoles as readonly string[]).includes(value);
}

async function usersAdd({ io, values, positionals }: CommandContext): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const email = stringOption(values, 'email').toLowerCase();
  const role = stringOption(values, 'role');
  const municipality = stringOption(values, 'municipality').toUpperCase();
  if (!EMAIL.test(email)) throw new UsageError(`--email "${email}" is not an e-mail address`);
  if (!isUserRole(role)) throw new UsageError(`--role must be one of ${userRoles.join(', ')}`);
  if (!/^GM\d{4}$/.test(municipality)) throw new UsageError(`--municipality "${municipality}" is not a CBS code like GM0453`);

  if (io.stdin.isTTY === true) io.stderr.write('Type the password, press Enter, then Ctrl-D (piping it in keeps it off the screen):\n');
  const password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
  if (password === '') {
    throw new CliError(`no password on stdin: pipe it in, e.g. printf '%s' "$PASSWORD" | npx wijkstem users add --email ${email} ...`);
  }
  const problem = validateNewPassword(password);
  if (problem !== undefined) throw new CliError(problem);
  const passwordHash = await hashPassword(password);

  const user = await withDatabase(io.env, async (db) => {
    if (!(await getMunicipality(db, municipality))) {
      throw new CliError(`unknown municipality ${municipality}: import its gazetteer first (npx wijkstem gazetteer import FILE.csv)`);
    }
    return db.transaction().execute(async (trx) => {
      const created = await createUser(trx, { email, passwordHash, role, municipalityCode: municipality });
      await appendAudit(trx, {
        actor_kind: 'system',
        actor_id: 'cli',
        action: 'user.create',
        municipality_code: municipality,
        subject_type: 'user',
        subject_id: created.id,
        details: { role },
      });
      return created;
    });
  });
  io.stdout.write(`created user ${user.email} (${user.role}) for ${user.municipality_code}\n`);
  return 0;
}

// ---- analyse (issue 4) ----

async function analyse({ io, values, positionals }: CommandContext): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`signals are read from stdin; unexpected ${positionals.join(' ')}`);
  const option = values.municipality;
  const municipality = typeof option === 'string' ? option.trim().toUpperCase() : undefined;
  if (municipality !== undefined && !/^GM\d{4}$/.test(municipality)) throw new UsageError(`--municipality "${municipality}" is not a CBS code like GM0453`);
  let input: string;
  try {
    input = await readAll(io.stdin);
  } catch (error) {
    throw new CliError(`cannot read stdin: ${messageOf(error)}`);
  }
  const lines = input.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const parsed: (SignalInput | AnalysisError)[] = lines.map((line) => (line.trim() === '' ? { error: 'empty line' } : parseSignalLine(line, municipality)));
  // Read-only: the gazetteer (all municipalities: --municipality is only the default) and nothing else.
  const analyser = await withDatabase(io.env, (db) => loadAnalyser(db));
  const out: string[] = [];
  for (const line of analyseBatch(analyser, parsed)) out.push(JSON.stringify(line));
  io.stdout.write(out.length > 0 ? `${out.join('\n')}\n` : '');
  return 0;
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the command on this process's streams; the caller sets process.exitCode. */
export function main(): Promise<number> {
  return runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(resolve(entry)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = await main();
