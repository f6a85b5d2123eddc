/**
 * One line of JSONL as a JSON object, or why it is not one: the part of reading a signal line that `wijkstem analyse`
 * (pipeline/analysis/analyse.ts) and the signal import (signal-import.ts) share. What each then requires of the
 * fields differs on purpose: analysis explains a bad field in its result line and goes on, an import refuses the file.
 */
export type JsonObjectLine = { ok: true; value: Record<string, unknown> } | { ok: false; problem: 'invalid_json' | 'not_object' };

export function parseJsonObjectLine(line: string): JsonObjectLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, problem: 'invalid_json' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'not_object' };
  return { ok: true, value: value as Record<string, unknown> };
}
