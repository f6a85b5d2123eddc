/**
 * The labelled examples the classifier learns from (CONTRACTS.md section 8): every `*.jsonl` file in this folder,
 * section 4 fields plus `domains`. Read once per process; a malformed line is an error naming file and line,
 * because a silently skipped example is a model nobody can reproduce.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelledExample } from '../steps/domains.ts';

export const trainingDir = fileURLToPath(new URL('.', import.meta.url));

export interface TrainingExample extends LabelledExample {
  id: string;
}

export function parseLabelledLines(text: string, file: string): TrainingExample[] {
  const examples: TrainingExample[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const o = parsed as { id?: unknown; text?: unknown; domains?: unknown };
    if (typeof o.text !== 'string' || !Array.isArray(o.domains) || !o.domains.every((d) => typeof d === 'string')) {
      throw new Error(`${file}:${i + 1}: needs "text" (string) and "domains" (array of keys)`);
    }
    examples.push({ id: typeof o.id === 'string' ? o.id : `${file}:${i + 1}`, text: o.text, domains: o.domains });
  });
  return examples;
}

/** All examples of the folder, files in name order, so the model trained on them is the same everywhere. */
export function loadTrainingExamples(dir: string = trainingDir): TrainingExample[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  return files.flatMap((f) => parseLabelledLines(readFileSync(join(dir, f), 'utf8'), f));
}
