/**
 * The analysis of a signal (CONTRACTS.md section 5), composed from the pure steps: redact, language, life domains,
 * neighbourhood, sentiment, urgency; and, for a batch, clusters. The live worker and `wijkstem analyse` both call
 * these, so a signal gets the same analysis whichever way it came in. No I/O here: the classifier and the gazetteer
 * index are built once by the caller and passed in.
 */
import { parseJsonObjectLine } from '../intake/jsonl.ts';
import { clusterBatch } from '../steps/cluster.ts';
import { trainDomainClassifier, type DomainClassifier, type DomainScore, type LabelledExample } from '../steps/domains.ts';
import { detectLanguage } from '../steps/language.ts';
import { buildGazetteerIndex, placeSignal, type GazetteerData, type GazetteerIndex, type Neighborhood } from '../steps/neighborhood.ts';
import { redactPersonalData } from '../steps/redact.ts';
import { sentiment } from '../steps/sentiment.ts';
import { detectCrisis } from '../steps/urgency.ts';
import { defaultTaxonomy, type LifeDomain } from '../taxonomy.ts';

/** A signal as read (section 4). */
export interface SignalInput {
  id: string;
  text: string;
  source?: string | null;
  municipality?: string | null;
  postcode?: string | null;
  place?: string | null;
  /** The conversation's language, for messages too short to tell. */
  language?: string | null;
}

export interface AnalysisResult {
  id: string;
  language: string;
  text_redacted: string;
  domains: DomainScore[];
  review: boolean;
  neighborhood: Neighborhood | null;
  sentiment: number;
  urgent: boolean;
  cluster: string | null;
}

export interface AnalysisError {
  id?: string;
  error: string;
}

export type AnalysisLine = AnalysisResult | AnalysisError;

/** Longer texts are refused with a clear error: a signal is a message or a note, not a document. */
export const MAX_TEXT_LENGTH = 20_000;

export interface Analyser {
  classifier: DomainClassifier;
  gazetteer: GazetteerIndex;
  taxonomy: readonly LifeDomain[];
}

export function createAnalyser(options: {
  examples: readonly LabelledExample[];
  gazetteer: GazetteerData;
  taxonomy?: readonly LifeDomain[];
  classifier?: DomainClassifier;
}): Analyser {
  const taxonomy = options.taxonomy ?? defaultTaxonomy;
  const classifier = options.classifier ?? trainDomainClassifier(options.examples, taxonomy.map((d) => d.key));
  return { classifier, gazetteer: buildGazetteerIndex(options.gazetteer), taxonomy };
}

export class SignalInputError extends Error {
  override readonly name = 'SignalInputError';
}

/** Why a text cannot be analysed, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  if (text.length > MAX_TEXT_LENGTH) return `text too long: ${text.length} characters, at most ${MAX_TEXT_LENGTH}`;
  // Control characters (other than whitespace) and decoding replacement characters mean bytes, not words.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
  const unreadable = (text.match(/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/g) ?? []).length;
  if (text.length > 0 && unreadable / text.length > 0.05) return 'text is not readable text (binary data?)';
  return undefined;
}

export function analyseSignal(analyser: Analyser, input: SignalInput): AnalysisResult {
  const problem = textProblem(input.text);
  if (problem) throw new SignalInputError(problem);
  if (input.municipality && !analyser.gazetteer.municipalities.has(input.municipality)) {
    throw new SignalInputError(`unknown municipality ${input.municipality}: import its gazetteer first`);
  }
  const text = input.text.normalize('NFC');
  const redacted = redactPersonalData(text, { keep: analyser.gazetteer.placeNames, streets: analyser.gazetteer.streets });
  const known = new Set(analyser.taxonomy.map((d) => d.key));
  const empty = redacted.trim() === '';
  const classified = empty ? { domains: [], review: true } : analyser.classifier.classify(redacted);
  // Placement reads the raw text: "Peperstraat 12" places the signal before it becomes "[adres]".
  const neighborhood = placeSignal(analyser.gazetteer, { text, place: input.place, postcode: input.postcode, municipality: input.municipality });
  return {
    id: input.id,
    language: detectLanguage(redacted, input.language),
    text_redacted: redacted,
    domains: classified.domains.filter((d) => known.has(d.key)),
    review: classified.review,
    neighborhood,
    sentiment: sentiment(redacted),
    urgent: detectCrisis(text).urgent,
    cluster: null,
  };
}

/** Analyses each input and clusters the ones that succeeded; errors stay in place, in input order. */
export function analyseBatch(analyser: Analyser, inputs: readonly (SignalInput | AnalysisError)[]): AnalysisLine[] {
  const analysed: { result: AnalysisResult; municipality: string | null }[] = [];
  const lines = inputs.map((input): AnalysisLine => {
    if ('error' in input) return input;
    try {
      const result = analyseSignal(analyser, input);
      analysed.push({ result, municipality: input.municipality ?? null });
      return result;
    } catch (error) {
      if (!(error instanceof SignalInputError)) throw error;
      return { id: input.id, error: error.message };
    }
  });
  const clusters = clusterBatch(
    analysed.map(({ result, municipality }) => ({
      text: result.text_redacted,
      domain: result.domains[0]?.key ?? null,
      municipality: result.neighborhood?.gemeente_code ?? municipality,
      place: result.neighborhood ? (result.neighborhood.buurt_code ?? result.neighborhood.wijk_code) : null,
    })),
  );
  analysed.forEach(({ result }, i) => (result.cluster = clusters[i] ?? null));
  return lines;
}

/** Parses one JSONL line into a signal input, or says why it cannot be analysed. */
export function parseSignalLine(line: string, defaultMunicipality?: string): SignalInput | AnalysisError {
  const parsed = parseJsonObjectLine(line);
  if (!parsed.ok) return { error: parsed.problem === 'invalid_json' ? 'malformed JSON' : 'a line must be a JSON object' };
  const o = parsed.value;
  const id = typeof o.id === 'string' && o.id !== '' ? o.id : typeof o.id === 'number' ? String(o.id) : undefined;
  const withId = (error: string): AnalysisError => (id === undefined ? { error } : { id, error });
  if (id === undefined) return withId('missing "id"');
  if (o.text === undefined || o.text === null) return withId('missing "text"');
  if (typeof o.text !== 'string') return withId('"text" must be a string');
  const optional = (key: string): string | null | AnalysisError => {
    const v = o[key];
    if (v === undefined || v === null) return null;
    return typeof v === 'string' ? v : withId(`"${key}" must be a string`);
  };
  const fields: Record<string, string | null> = {};
  for (const key of ['source', 'municipality', 'postcode', 'place', 'language']) {
    const v = optional(key);
    if (v !== null && typeof v === 'object') return v;
    fields[key] = v;
  }
  const municipality = (fields.municipality ?? defaultMunicipality ?? null)?.trim().toUpperCase() ?? null;
  if (municipality !== null && !/^GM\d{4}$/.test(municipality)) return withId(`"municipality" must be a CBS code like GM0453`);
  return {
    id,
    text: o.text,
    source: fields.source ?? null,
    municipality,
    postcode: fields.postcode ?? null,
    place: fields.place ?? null,
    language: fields.language ?? null,
  };
}
