import { describe, expect, it } from 'vitest';
import { parseSignalLine } from '../analysis/analyse.ts';
import { parseJsonObjectLine } from './jsonl.ts';
import { parseSignalImport } from './signal-import.ts';

describe('one JSONL line reader for analyse and import', () => {
  it('gives the object, or says whether the line is not JSON or not an object', () => {
    expect(parseJsonObjectLine('{"id": "a", "text": "x"}')).toEqual({ ok: true, value: { id: 'a', text: 'x' } });
    expect(parseJsonObjectLine('{"id": "a"')).toEqual({ ok: false, problem: 'invalid_json' });
    for (const line of ['[1, 2]', '"tekst"', '42', 'null']) expect(parseJsonObjectLine(line)).toEqual({ ok: false, problem: 'not_object' });
  });

  it('both callers report the same lines as bad, each in its own words', () => {
    expect(parseSignalLine('{"id": "a"')).toEqual({ error: 'malformed JSON' });
    expect(parseSignalLine('[1]')).toEqual({ error: 'a line must be a JSON object' });
    const imported = parseSignalImport('{"id": "a"\n[1]\n', 'jsonl');
    expect(imported.errors.map((e) => [e.line, e.problem.kind])).toEqual([
      [1, 'invalid_json'],
      [2, 'not_object'],
    ]);
  });
});
