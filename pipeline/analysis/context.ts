/**
 * What the analysis needs from outside, loaded once: the classifier (trained at start-up on pipeline/training, plus
 * a municipality's own review corrections) and the gazetteer of a municipality (from the database). Workers keep an
 * AnalyserCache so a job costs no loading, and warm it before they take jobs; a gazetteer import shows up after the
 * cache's time-to-live (at once in the process that imported, through `invalidate`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { labelledExamples, reviewCount } from '../../db/repositories/dashboard-review.ts';
import { taxonomyOf } from '../../db/repositories/taxonomy.ts';
import { referenceIdf } from '../clusters/model.ts';
import type { DomainClassifier, LabelledExample } from '../steps/domains.ts';
import { trainDomainClassifier } from '../steps/domains.ts';
import type { GazetteerData } from '../steps/neighborhood.ts';
import { activeDomains, defaultDomainKeys, defaultTaxonomy } from '../taxonomy.ts';
import { loadTrainingExamples } from '../training/examples.ts';
import { createAnalyser, type Analyser } from './analyse.ts';

let classifier: DomainClassifier | undefined;

/** The classifier on the default taxonomy, trained on first use and shared by the whole process. */
export function defaultDomainClassifier(): DomainClassifier {
  classifier ??= trainDomainClassifier(
    loadTrainingExamples(),
    defaultTaxonomy.map((d) => d.key),
  );
  return classifier;
}

/** Whether this process has trained the shared classifier yet (a worker does so before it takes jobs). */
export function defaultClassifierReady(): boolean {
  return classifier !== undefined;
}

/**
 * How many times a person's correction counts against one example of the training files: a reviewer who corrected
 * a signal of their own municipality knows its words (a local scheme, a provider) better than the general examples.
 */
export const CORRECTION_WEIGHT = 3;

/**
 * The classifier of one municipality: the training files plus its reviewed signals (CONTRACTS.md section 8 format,
 * redacted text, the reviewer's domains). Keys outside the default taxonomy are left out: the model scores those.
 */
export function classifierWithCorrections(corrections: readonly LabelledExample[], weight = CORRECTION_WEIGHT): DomainClassifier {
  const keys: readonly string[] = defaultDomainKeys;
  const usable = corrections
    .map((c) => ({ text: c.text, domains: c.domains.filter((d) => keys.includes(d)) }))
    .filter((c) => c.text.trim() !== '' && c.domains.length > 0);
  if (usable.length === 0) return defaultDomainClassifier();
  const extra = usable.flatMap((c) => Array.from({ length: weight }, () => c));
  return trainDomainClassifier([...loadTrainingExamples(), ...extra], keys);
}

/** The gazetteer of one municipality, or of all when none is given. */
export async function loadGazetteer(db: Kysely<Database>, municipality?: string | null): Promise<GazetteerData> {
  const m = db.selectFrom('municipalities').select(['code', 'name']);
  const w = db.selectFrom('wijken').select(['code', 'municipality_code', 'name']);
  const b = db.selectFrom('buurten').select(['code', 'wijk_code', 'municipality_code', 'name', 'postcodes', 'aliases']);
  const [municipalities, wijken, buurten] = municipality
    ? await Promise.all([
        m.where('code', '=', municipality).execute(),
        w.where('municipality_code', '=', municipality).execute(),
        b.where('municipality_code', '=', municipality).execute(),
      ])
    : await Promise.all([m.execute(), w.execute(), b.execute()]);
  return { municipalities, wijken, buurten };
}

export async function loadAnalyser(db: Kysely<Database>, municipality?: string | null): Promise<Analyser> {
  return createAnalyser({ examples: [], classifier: defaultDomainClassifier(), gazetteer: await loadGazetteer(db, municipality) });
}

export interface AnalyserCacheOptions {
  /** Gazetteer and review count are read again after this long. */
  ttlMs?: number;
  /** A municipality's classifier is trained again once this many reviews were added since it was trained. */
  retrainAfter?: number;
}

interface Trained {
  /** Reviews the classifier was trained with (0: the shared classifier). */
  reviews: number;
  classifier: DomainClassifier;
}

interface Entry {
  loaded: number;
  analyser: Promise<Analyser>;
  trained: Promise<Trained>;
}

/**
 * One analyser per municipality. Its classifier is the shared one until the municipality has reviews; then it is
 * trained with them, at load (worker start) and again after `retrainAfter` more reviews. Training takes about a
 * second on the 2-core machine, so it happens at most once per `retrainAfter` reviews, never per job.
 */
/** Every AnalyserCache of this process, so a dashboard import can empty them without holding one (weakly held). */
const liveCaches = new Set<WeakRef<AnalyserCache>>();

/** Forgets a municipality's loaded analysis (or all) in every AnalyserCache of this process, e.g. after a gazetteer import. */
export function invalidateAnalyserCaches(municipality?: string): void {
  for (const ref of liveCaches) {
    const cache = ref.deref();
    if (cache) cache.invalidate(municipality);
    else liveCaches.delete(ref);
  }
}

export class AnalyserCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly retrainAfter: number;

  constructor(
    private readonly db: Kysely<Database>,
    options: AnalyserCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.retrainAfter = Math.max(1, options.retrainAfter ?? 10);
    liveCaches.add(new WeakRef(this));
  }

  /**
   * Everything the first job would otherwise wait for: the shared classifier, the reference IDF of live clustering,
   * and the analysers of these municipalities (with their corrections). Call before the worker takes jobs.
   */
  async warm(municipalities: readonly string[] = []): Promise<void> {
    defaultDomainClassifier();
    referenceIdf();
    for (const code of municipalities) await this.get(code);
  }

  /** Forgets what was loaded (one municipality, or all): the next job reads gazetteer and reviews again. */
  invalidate(municipality?: string): void {
    if (municipality === undefined) this.entries.clear();
    else this.entries.delete(municipality);
  }

  get(municipality: string): Promise<Analyser> {
    const now = Date.now();
    const entry = this.entries.get(municipality);
    if (entry && now - entry.loaded < this.ttlMs) return entry.analyser;
    const trained = this.train(municipality, entry?.trained);
    // The municipality's taxonomy: a retired domain is not assigned to new signals (issue 5).
    const analyser = Promise.all([loadGazetteer(this.db, municipality), trained, taxonomyOf(this.db, municipality)]).then(([gazetteer, t, taxonomy]) =>
      createAnalyser({ examples: [], classifier: t.classifier, gazetteer, taxonomy: activeDomains(taxonomy) }),
    );
    const next = { loaded: now, analyser, trained };
    // A failed load is not cached: the next job tries again.
    analyser.catch(() => {
      if (this.entries.get(municipality) === next) this.entries.delete(municipality);
    });
    this.entries.set(municipality, next);
    return analyser;
  }

  /** The classifier as it was, unless enough reviews came in since it was trained. */
  private async train(municipality: string, before: Promise<Trained> | undefined): Promise<Trained> {
    const previous = before ? await before.catch(() => undefined) : undefined;
    const reviews = await reviewCount(this.db, municipality);
    if (previous ? reviews - previous.reviews < this.retrainAfter : reviews === 0) return previous ?? { reviews: 0, classifier: defaultDomainClassifier() };
    return { reviews, classifier: classifierWithCorrections(await labelledExamples(this.db, municipality)) };
  }
}
