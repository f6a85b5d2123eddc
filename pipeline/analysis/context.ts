/**
 * What the analysis needs from outside, loaded once: the classifier (trained at start-up on pipeline/training) and
 * the gazetteer of a municipality (from the database). Workers keep an AnalyserCache so a job costs no loading; a
 * gazetteer import shows up after the cache's time-to-live.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DomainClassifier } from '../steps/domains.ts';
import { trainDomainClassifier } from '../steps/domains.ts';
import type { GazetteerData } from '../steps/neighborhood.ts';
import { defaultTaxonomy } from '../taxonomy.ts';
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

/** One analyser per municipality, reloaded after ttlMs so gazetteer imports reach running workers. */
export class AnalyserCache {
  private readonly entries = new Map<string, { loaded: number; analyser: Promise<Analyser> }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 60_000,
  ) {}

  get(municipality: string): Promise<Analyser> {
    const now = Date.now();
    const entry = this.entries.get(municipality);
    if (entry && now - entry.loaded < this.ttlMs) return entry.analyser;
    const analyser = loadAnalyser(this.db, municipality);
    // A failed load is not cached: the next job tries again.
    analyser.catch(() => this.entries.delete(municipality));
    this.entries.set(municipality, { loaded: now, analyser });
    return analyser;
  }
}
