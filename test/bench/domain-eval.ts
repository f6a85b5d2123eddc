/**
 * Domain quality only, fast: per-domain precision and recall of our classifier and of the TF-IDF + logistic
 * regression baseline on pipeline/evaluation/dev.jsonl, both trained on pipeline/training/*.jsonl.
 * `node --import tsx test/bench/domain-eval.ts`
 */
import { readFileSync } from 'node:fs';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { createAnalyser } from '../../pipeline/analysis/analyse.ts';
import { defaultRedact, evaluateBaseline, evaluateDomains, evaluationDir, gazetteerDataFromCsv, readJsonl, type DevExample } from '../../pipeline/evaluation/evaluate.ts';
import { trainDomainClassifier } from '../../pipeline/steps/domains.ts';
import { defaultDomainKeys } from '../../pipeline/taxonomy.ts';
import { loadTrainingExamples } from '../../pipeline/training/examples.ts';

const keys = [...defaultDomainKeys];
const train = loadTrainingExamples();
const dev = readJsonl<DevExample>(`${evaluationDir}/dev.jsonl`);
const t0 = performance.now();
const analyser = createAnalyser({ examples: train, classifier: trainDomainClassifier(train, keys), gazetteer: gazetteerDataFromCsv(readFileSync(demoGazetteerPath, 'utf8')) });
const buildMs = Math.round(performance.now() - t0);
const redact = defaultRedact(analyser.gazetteer.placeNames, analyser.gazetteer.streets);
const ours = evaluateDomains(analyser.classifier, dev, keys, redact);
const base = evaluateBaseline(train, dev, keys, redact);
const f = (x: number) => x.toFixed(3);
const rows = keys.map((k) => {
  const o = ours.perLabel[k];
  const b = base.perLabel[k];
  return `${k.padEnd(16)} ${String(o?.support ?? 0).padStart(4)}  P ${f(o?.precision ?? 0)} R ${f(o?.recall ?? 0)}   | base P ${f(b?.precision ?? 0)} R ${f(b?.recall ?? 0)}`;
});
process.stdout.write(
  `training examples ${train.length}, model built in ${buildMs} ms\n` +
    `ours     micro-F1 ${f(ours.micro.f1)} (P ${f(ours.micro.precision)} R ${f(ours.micro.recall)}) macro-F1 ${f(ours.macroF1)} review ${f(ours.review)}\n` +
    `baseline micro-F1 ${f(base.micro.f1)} (P ${f(base.micro.precision)} R ${f(base.micro.recall)}) macro-F1 ${f(base.macroF1)}\n` +
    `${rows.join('\n')}\n`,
);
