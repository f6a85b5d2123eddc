/**
 * Reads a batch of signals to import (CONTRACTS.md section 4) from JSONL or CSV, and says what is wrong with each
 * line. Pure: text in, rows or line-numbered errors out, so a file with any bad line is refused as a whole before
 * anything touches the database. One parser for the dashboard's import page and `wijkstem signals import`.
 *
 * It lives in pipeline/intake/ because it is the pipeline's way in for batches (beside the bot's intake for chats),
 * not a dashboard or database concern.
 *
 * CSV: UTF-8, comma-separated, RFC 4180 quoting, one header row naming the columns
 * `id,text,source,postcode,place,language` (any order; id and text required; `municipality` may be added).
 * JSONL: one object a line; blank lines are skipped; unknown fields are ignored (a section 5 result line imports).
 */
import { parse } from 'csv-parse/sync';
import { storableText } from '../../db/plugins/no-nul-characters.ts';
import { signalSources, type SignalSource } from '../../db/tables/common.ts';
import { parseJsonObjectLine } from './jsonl.ts';

export type ImportFormat = 'jsonl' | 'csv';

export interface ImportRow {
  /** 1-based line in the file where the row starts. */
  line: number;
  /** The importer's own id (stored as signals.external_id): a re-import of the same id stores nothing. */
  id: string;
  text: string;
  source: SignalSource;
  /** GM code, when the row names one. */
  municipality: string | null;
  postcode: string | null;
  place: string | null;
  language: string | null;
}

/** What is wrong with a line, as data, so the dashboard can say it in Dutch; `message` says it in English. */
export type ImportProblem =
  | { kind: 'no_signals' }
  | { kind: 'too_many'; max: number }
  | { kind: 'duplicate_id'; id: string; firstLine: number }
  | { kind: 'invalid_json' }
  | { kind: 'not_object' }
  | { kind: 'invalid_csv'; detail: string }
  | { kind: 'csv_header'; missing: string[]; unknown: string[]; duplicate: string[] }
  | { kind: 'csv_columns'; expected: number; found: number }
  | { kind: 'required'; field: string }
  | { kind: 'not_text'; field: string }
  | { kind: 'empty'; field: string }
  | { kind: 'too_long'; field: string; max: number }
  | { kind: 'bad_source'; value: string }
  | { kind: 'bad_municipality'; value: string }
  | { kind: 'bad_language'; value: string }
  | { kind: 'municipality_required' }
  | { kind: 'municipality_not_yours'; code: string; own: string }
  | { kind: 'municipality_unknown'; code: string };

export interface ImportError {
  line: number;
  problem: ImportProblem;
  message: string;
}

export function describeImportProblem(p: ImportProblem): string {
  switch (p.kind) {
    case 'no_signals':
      return 'the file has no signals';
    case 'too_many':
      return `at most ${p.max} signals per import; split the file`;
    case 'duplicate_id':
      return `id "${p.id}" is also on line ${p.firstLine}`;
    case 'invalid_json':
      return 'not valid JSON';
    case 'not_object':
      return 'expected a JSON object such as {"id": "a-1", "text": "…"}';
    case 'invalid_csv':
      return `not valid CSV: ${p.detail}`;
    case 'csv_header': {
      const problems = [
        ...(p.missing.length > 0 ? [`missing column ${p.missing.join(', ')}`] : []),
        ...(p.unknown.length > 0 ? [`unknown column ${p.unknown.join(', ')}`] : []),
        ...(p.duplicate.length > 0 ? [`column ${p.duplicate.join(', ')} twice`] : []),
      ];
      return `header: ${problems.join('; ')}; expected ${CSV_COLUMNS.join(',')}`;
    }
    case 'csv_columns':
      return `expected ${p.expected} columns, found ${p.found}`;
    case 'required':
      return `${p.field} is required`;
    case 'not_text':
      return `${p.field} must be text`;
    case 'empty':
      return `${p.field} is empty`;
    case 'too_long':
      return `${p.field} is longer than ${p.max} characters`;
    case 'bad_source':
      return `source "${p.value}" is not one of ${signalSources.join(', ')}`;
    case 'bad_municipality':
      return `municipality "${p.value}" is not a GM code such as GM0453`;
    case 'bad_language':
      return `language "${p.value}" is not a language code such as nl or en`;
    case 'municipality_required':
      return 'municipality is required (a GM code such as GM0453)';
    case 'municipality_not_yours':
      return `municipality ${p.code} is not yours (${p.own}); import only your own municipality's signals`;
    case 'municipality_unknown':
      return `unknown municipality ${p.code}: import its gazetteer first (npx wijkstem gazetteer import FILE.csv)`;
  }
}

function problemAt(line: number, problem: ImportProblem): ImportError {
  return { line, problem, message: describeImportProblem(problem) };
}

export interface ImportParseResult {
  rows: ImportRow[];
  errors: ImportError[];
}

export const CSV_COLUMNS = ['id', 'text', 'source', 'postcode', 'place', 'language'] as const;
const OPTIONAL_CSV_COLUMNS = ['municipality'] as const;
export const MAX_IMPORT_ROWS = 5_000;
export const MAX_TEXT_LENGTH = 4_000;
const MAX_ID_LENGTH = 200;
const MAX_FIELD_LENGTH = 200;
const GEMEENTE_CODE = /^GM\d{4}$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/;

/** JSONL for .jsonl/.ndjson names, CSV for .csv; otherwise by content: a line starting with `{` is JSONL. */
export function detectFormat(fileName: string | undefined, text: string): ImportFormat {
  const name = (fileName ?? '').toLowerCase();
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'jsonl';
  if (name.endsWith('.csv')) return 'csv';
  const first = stripBom(text).trimStart();
  return first.startsWith('{') ? 'jsonl' : 'csv';
}

export function parseSignalImport(input: string, format: ImportFormat): ImportParseResult {
  const text = stripBom(input);
  // CRLF becomes LF first: csv-parse would otherwise take a lone CR as the record delimiter and miscount lines.
  const result = format === 'jsonl' ? parseJsonl(text) : parseCsv(text.replace(/\r\n/g, '\n'));
  if (result.errors.length === 0 && result.rows.length === 0) {
    return { rows: [], errors: [problemAt(1, { kind: 'no_signals' })] };
  }
  if (result.rows.length + result.errors.length > MAX_IMPORT_ROWS) {
    return { rows: [], errors: [problemAt(1, { kind: 'too_many', max: MAX_IMPORT_ROWS })] };
  }
  // An id twice in one file is a mistake, not an update.
  const seen = new Map<string, number>();
  for (const row of result.rows) {
    const key = `${row.municipality ?? ''}|${row.id}`;
    const first = seen.get(key);
    if (first !== undefined) result.errors.push(problemAt(row.line, { kind: 'duplicate_id', id: row.id, firstLine: first }));
    else seen.set(key, row.line);
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}

/**
 * Settles each row's municipality: its own GM code, or the fallback (the dashboard user's municipality, the CLI's
 * --municipality). A row without either, or naming one that is not allowed, is an error.
 */
export function assignMunicipalities(
  parsed: ImportParseResult,
  options: { fallback: string | undefined; allowed: (code: string) => boolean; refusal: (code: string) => ImportProblem },
): ImportParseResult {
  const errors = [...parsed.errors];
  const rows: ImportRow[] = [];
  for (const row of parsed.rows) {
    const code = row.municipality ?? options.fallback;
    if (code === undefined) errors.push(problemAt(row.line, { kind: 'municipality_required' }));
    else if (!options.allowed(code)) errors.push(problemAt(row.line, options.refusal(code)));
    else rows.push({ ...row, municipality: code });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function parseJsonl(text: string): ImportParseResult {
  const rows: ImportRow[] = [];
  const errors: ImportError[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const parsed = parseJsonObjectLine(raw);
    if (!parsed.ok) {
      errors.push(problemAt(line, { kind: parsed.problem }));
      return;
    }
    collect(validateRow(line, parsed.value), rows, errors);
  });
  return { rows, errors };
}

function parseCsv(text: string): ImportParseResult {
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    records = parse(text, { info: true, raw: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    const line = typeof (error as { lines?: unknown }).lines === 'number' ? (error as { lines: number }).lines : 1;
    return { rows: [], errors: [problemAt(line, { kind: 'invalid_csv', detail: (error as Error).message })] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], errors: [] };
  const names = header.record.map((n) => n.trim().toLowerCase());
  const known: readonly string[] = [...CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS];
  const headerLine = startLine(header);
  const unknown = names.filter((n) => !known.includes(n));
  const missing = ['id', 'text'].filter((n) => !names.includes(n));
  const duplicate = names.filter((n, i) => names.indexOf(n) !== i);
  if (unknown.length > 0 || missing.length > 0 || duplicate.length > 0) {
    return { rows: [], errors: [problemAt(headerLine, { kind: 'csv_header', missing, unknown, duplicate })] };
  }
  const rows: ImportRow[] = [];
  const errors: ImportError[] = [];
  for (const record of body) {
    const line = startLine(record);
    if (record.record.length !== names.length) {
      errors.push(problemAt(line, { kind: 'csv_columns', expected: names.length, found: record.record.length }));
      continue;
    }
    const fields: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const value = record.record[i] ?? '';
      if (value.trim() !== '' || name === 'id' || name === 'text') fields[name] = value;
    });
    collect(validateRow(line, fields), rows, errors);
  }
  return { rows, errors };
}

/** csv-parse reports the line a record ends on; its raw text (blank lines before it included) gives the start. */
function startLine(record: { info: { lines: number }; raw: string }): number {
  const own = record.raw.replace(/\n$/, '').replace(/^\n+/, '');
  return record.info.lines - (own.match(/\n/g)?.length ?? 0);
}

function collect(result: ImportRow | ImportError[], rows: ImportRow[], errors: ImportError[]): void {
  if (Array.isArray(result)) errors.push(...result);
  else rows.push(result);
}

function validateRow(line: number, fields: Record<string, unknown>): ImportRow | ImportError[] {
  const problems: ImportProblem[] = [];
  const text = (name: string, max: number, required: boolean): string | null => {
    const value = fields[name];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '' && !required)) {
      if (required) problems.push({ kind: 'required', field: name });
      return null;
    }
    if (typeof value !== 'string') {
      problems.push({ kind: 'not_text', field: name });
      return null;
    }
    // As PostgreSQL will store it (NUL and lone surrogates as U+FFFD), so a re-import compares equal to what was stored.
    const trimmed = storableText(value).trim();
    if (required && trimmed === '') {
      problems.push({ kind: 'empty', field: name });
      return null;
    }
    if (Array.from(trimmed).length > max) {
      problems.push({ kind: 'too_long', field: name, max });
      return null;
    }
    return trimmed;
  };
  const id = text('id', MAX_ID_LENGTH, true);
  const body = text('text', MAX_TEXT_LENGTH, true);
  const sourceText = text('source', 20, false);
  const municipalityText = text('municipality', 20, false);
  const postcode = text('postcode', MAX_FIELD_LENGTH, false);
  const place = text('place', MAX_FIELD_LENGTH, false);
  const language = text('language', 20, false);

  let source: SignalSource = 'import';
  if (sourceText !== null) {
    if ((signalSources as readonly string[]).includes(sourceText)) source = sourceText as SignalSource;
    else problems.push({ kind: 'bad_source', value: sourceText });
  }
  const municipality = municipalityText?.toUpperCase() ?? null;
  if (municipality !== null && !GEMEENTE_CODE.test(municipality)) problems.push({ kind: 'bad_municipality', value: municipalityText ?? '' });
  if (language !== null && !LANGUAGE.test(language)) problems.push({ kind: 'bad_language', value: language });
  if (problems.length > 0 || id === null || body === null) return problems.map((problem) => problemAt(line, problem));
  return { line, id, text: body, source, municipality, postcode, place, language };
}
