/**
 * Parses and validates a gazetteer CSV (CONTRACTS.md section 3). Pure: text in, rows or every error out, so a file
 * with any bad row can be refused as a whole before anything touches the database.
 *
 * Extension to the contract: lines starting with `#` above the header are comments (the demo file says what it is).
 */
import { parse } from 'csv-parse/sync';
import type { PopulationColumns } from '../tables/gazetteer.table.ts';

export const GAZETTEER_COLUMNS = [
  'gemeente_code',
  'gemeente',
  'wijk_code',
  'wijk',
  'buurt_code',
  'buurt',
  'postcodes',
  'aliases',
  'inwoners',
  'inwoners_0_15',
  'inwoners_15_25',
  'inwoners_25_45',
  'inwoners_45_65',
  'inwoners_65_plus',
] as const;

export type GazetteerColumn = (typeof GAZETTEER_COLUMNS)[number];

const POPULATION_COLUMNS = [
  'inwoners',
  'inwoners_0_15',
  'inwoners_15_25',
  'inwoners_25_45',
  'inwoners_45_65',
  'inwoners_65_plus',
] as const satisfies readonly (GazetteerColumn & keyof PopulationColumns)[];

export interface GazetteerError {
  /** 1-based physical line in the file where the record starts. */
  line: number;
  message: string;
}

export interface GazetteerMunicipality {
  code: string;
  name: string;
}

export interface GazetteerWijk {
  code: string;
  municipalityCode: string;
  name: string;
}

export interface GazetteerBuurt extends PopulationColumns {
  code: string;
  wijkCode: string;
  municipalityCode: string;
  name: string;
  /** PC4 and PC6, upper case, without spaces, without duplicates. */
  postcodes: string[];
  aliases: string[];
}

export interface Gazetteer {
  municipalities: GazetteerMunicipality[];
  wijken: GazetteerWijk[];
  buurten: GazetteerBuurt[];
}

export type GazetteerParseResult = ({ ok: true } & Gazetteer) | { ok: false; errors: GazetteerError[] };

const HEADER = GAZETTEER_COLUMNS.join(',');
const GEMEENTE_CODE = /^GM(\d{4})$/;
const WIJK_CODE = /^WK(\d{6})$/;
const BUURT_CODE = /^BU(\d{8})$/;
/** Dutch postcodes never start with 0; PC6 is written without a space here because a space separates values. */
const POSTCODE = /^[1-9]\d{3}(?:[A-Z]{2})?$/;
const WHOLE_NUMBER = /^\d+$/;
/** The database stores population as a PostgreSQL integer. */
const MAX_INTEGER = 2_147_483_647;

interface RawRecord {
  line: number;
  text: string;
  comment: boolean;
}

export function parseGazetteer(input: string): GazetteerParseResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records = splitRecords(text).filter((r) => r.text.trim() !== '');

  let index = 0;
  while (index < records.length && records[index]?.comment === true) index++;
  const headerRecord = records[index];
  if (!headerRecord) return fail(1, `the file is empty: expected the header ${HEADER}`);
  const header = parseRecord(headerRecord);
  if ('error' in header) return fail(headerRecord.line, `header: ${header.error}`);
  const headerProblem = checkHeader(header.fields);
  if (headerProblem) return fail(headerRecord.line, headerProblem);

  const rows = records.slice(index + 1);
  if (rows.length === 0) return fail(headerRecord.line, 'the file has a header but no rows: expected one row per buurt');

  const errors: GazetteerError[] = [];
  const state: SeenState = { municipalities: new Map(), wijken: new Map(), buurten: new Map() };
  const buurten: GazetteerBuurt[] = [];
  for (const record of rows) {
    const problems: string[] = [];
    let buurt: GazetteerBuurt | undefined;
    if (record.comment) problems.push('comment lines (#) are only allowed above the header');
    else buurt = validateRow(record, state, problems);
    for (const message of problems) errors.push({ line: record.line, message });
    if (buurt && problems.length === 0) buurten.push(buurt);
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    municipalities: [...state.municipalities.values()].map(({ code, name }) => ({ code, name })),
    wijken: [...state.wijken.values()].map(({ code, municipalityCode, name }) => ({ code, municipalityCode, name })),
    buurten,
  };
}

function fail(line: number, message: string): GazetteerParseResult {
  return { ok: false, errors: [{ line, message }] };
}

/**
 * Splits the text into records at line breaks outside quotes, remembering the line each starts on. Each record is
 * then parsed on its own, so one malformed quote is reported on its own line instead of derailing the rest. As in
 * RFC 4180 a quote opens a quoted value only at the start of a field; a stray one elsewhere stays in its record.
 */
function splitRecords(text: string): RawRecord[] {
  const records: RawRecord[] = [];
  let start = 0;
  let line = 1;
  let startLine = 1;
  let inQuotes = false;
  let fieldStart = true;
  let comment = text.startsWith('#');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inQuotes) {
      if (ch !== '"') continue;
      if (text[i + 1] === '"') i++;
      else inQuotes = false;
    } else if (ch === '"' && fieldStart && !comment) {
      inQuotes = true;
    } else if (ch === '\n') {
      const raw = text.slice(start, i);
      records.push({ line: startLine, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, comment });
      start = i + 1;
      startLine = line;
      comment = text[start] === '#';
      fieldStart = true;
      continue;
    }
    fieldStart = ch === ',';
  }
  if (start < text.length) records.push({ line: startLine, text: text.slice(start), comment });
  return records;
}

function parseRecord(record: RawRecord): { fields: string[] } | { error: string } {
  try {
    const parsed = parse(record.text, { record_delimiter: '\n' });
    return { fields: parsed[0] ?? [] };
  } catch (error) {
    return { error: describeCsvError(error) };
  }
}

function describeCsvError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value starts on this line but its closing quote is missing';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote must be followed by a comma or the end of the line';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted value: put the whole value in quotes and write a quote inside it as ""';
    default:
      return `not valid CSV: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function checkHeader(fields: string[]): string | undefined {
  const names = fields.map((f) => f.trim());
  const expected = `the header must be exactly ${HEADER}`;
  if (names.length === 1 && names[0]?.includes(';')) {
    return `${expected}; this file is separated by semicolons: save it as comma-separated CSV (UTF-8)`;
  }
  const wrong = GAZETTEER_COLUMNS.findIndex((c, i) => names[i] !== c);
  if (wrong !== -1) {
    const found = names[wrong];
    return found === undefined
      ? `${expected}; column ${wrong + 1} (${GAZETTEER_COLUMNS[wrong] ?? ''}) is missing`
      : `${expected}; column ${wrong + 1} is "${found}", expected "${GAZETTEER_COLUMNS[wrong] ?? ''}"`;
  }
  if (names.length > GAZETTEER_COLUMNS.length) {
    return `${expected}; found ${names.length} columns, expected ${GAZETTEER_COLUMNS.length}`;
  }
  return undefined;
}

interface SeenState {
  municipalities: Map<string, { code: string; name: string; line: number }>;
  wijken: Map<string, { code: string; municipalityCode: string; name: string; line: number }>;
  buurten: Map<string, { line: number }>;
}

function validateRow(record: RawRecord, state: SeenState, problems: string[]): GazetteerBuurt | undefined {
  const parsed = parseRecord(record);
  if ('error' in parsed) {
    problems.push(parsed.error);
    return undefined;
  }
  if (parsed.fields.length !== GAZETTEER_COLUMNS.length) {
    problems.push(`expected ${GAZETTEER_COLUMNS.length} columns, found ${parsed.fields.length}`);
    return undefined;
  }
  const values = new Map(GAZETTEER_COLUMNS.map((c, i) => [c, (parsed.fields[i] ?? '').trim()]));
  const get = (c: GazetteerColumn) => values.get(c) ?? '';
  for (const [column, value] of values) {
    if (/[\r\n]/.test(value)) problems.push(`${column} contains a line break`);
  }

  const gemeenteCode = get('gemeente_code').toUpperCase();
  const wijkCode = get('wijk_code').toUpperCase();
  const buurtCode = get('buurt_code').toUpperCase();
  const gemeenteDigits = GEMEENTE_CODE.exec(gemeenteCode)?.[1];
  const wijkDigits = WIJK_CODE.exec(wijkCode)?.[1];
  const buurtDigits = BUURT_CODE.exec(buurtCode)?.[1];
  if (gemeenteDigits === undefined) problems.push(`gemeente_code "${get('gemeente_code')}" is not GM followed by 4 digits`);
  if (wijkDigits === undefined) problems.push(`wijk_code "${get('wijk_code')}" is not WK followed by 6 digits`);
  if (buurtDigits === undefined) problems.push(`buurt_code "${get('buurt_code')}" is not BU followed by 8 digits`);
  if (gemeenteDigits !== undefined && wijkDigits !== undefined && !wijkDigits.startsWith(gemeenteDigits)) {
    problems.push(`wijk_code ${wijkCode} does not belong to gemeente ${gemeenteCode}: its digits must start with ${gemeenteDigits}`);
  }
  if (wijkDigits !== undefined && buurtDigits !== undefined && !buurtDigits.startsWith(wijkDigits)) {
    problems.push(`buurt_code ${buurtCode} does not belong to wijk ${wijkCode}: its digits must start with ${wijkDigits}`);
  }

  const gemeente = get('gemeente');
  const wijk = get('wijk');
  const name = get('buurt');
  if (gemeente === '') problems.push('gemeente (the name) is empty');
  if (wijk === '') problems.push('wijk (the name) is empty');
  if (name === '') problems.push('buurt (the name) is empty');

  const postcodes: string[] = [];
  for (const value of get('postcodes').split(/\s+/).filter((v) => v !== '')) {
    const pc = value.toUpperCase();
    if (!POSTCODE.test(pc)) {
      problems.push(`postcode "${value}" is not a PC4 (1971) or PC6 (1971AB, without a space) value`);
    } else if (!postcodes.includes(pc)) {
      postcodes.push(pc);
    }
  }
  const aliases = [...new Set(get('aliases').split(';').map((a) => a.trim()).filter((a) => a !== ''))];

  const population: PopulationColumns = {
    inwoners: null,
    inwoners_0_15: null,
    inwoners_15_25: null,
    inwoners_25_45: null,
    inwoners_45_65: null,
    inwoners_65_plus: null,
  };
  for (const column of POPULATION_COLUMNS) {
    const value = get(column);
    if (value === '') continue;
    if (!WHOLE_NUMBER.test(value) || Number(value) > MAX_INTEGER) {
      problems.push(`${column} "${value}" is not a whole number of at least 0 (or empty)`);
    } else {
      population[column] = Number(value);
    }
  }

  // Consistency across rows: checked only for well-formed codes and names, so one typo gives one message.
  if (gemeenteDigits !== undefined && gemeente !== '') {
    const seen = state.municipalities.get(gemeenteCode);
    if (!seen) state.municipalities.set(gemeenteCode, { code: gemeenteCode, name: gemeente, line: record.line });
    else if (seen.name !== gemeente) {
      problems.push(`gemeente_code ${gemeenteCode} is named "${seen.name}" on line ${seen.line} but "${gemeente}" here`);
    }
  }
  if (wijkDigits !== undefined && wijk !== '') {
    const seen = state.wijken.get(wijkCode);
    if (!seen) {
      if (gemeenteDigits !== undefined) {
        state.wijken.set(wijkCode, { code: wijkCode, municipalityCode: gemeenteCode, name: wijk, line: record.line });
      }
    } else {
      if (seen.name !== wijk) problems.push(`wijk_code ${wijkCode} is named "${seen.name}" on line ${seen.line} but "${wijk}" here`);
      if (gemeenteDigits !== undefined && seen.municipalityCode !== gemeenteCode) {
        problems.push(`wijk_code ${wijkCode} is in gemeente ${seen.municipalityCode} on line ${seen.line} but in ${gemeenteCode} here`);
      }
    }
  }
  if (buurtDigits !== undefined) {
    const seen = state.buurten.get(buurtCode);
    if (seen) problems.push(`buurt_code ${buurtCode} appears twice: also on line ${seen.line}`);
    else state.buurten.set(buurtCode, { line: record.line });
  }

  if (problems.length > 0) return undefined;
  return { code: buurtCode, wijkCode, municipalityCode: gemeenteCode, name, postcodes, aliases, ...population };
}
