/**
 * Migrations run at start-up, in name order, each once. They are imported, not read from a folder, so they work the
 * same from source, from a bundle and in tests. Add a file and list it here; never edit one that has shipped.
 */
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as initial from './0001_initial.ts';
import * as bot from './0003_bot.ts';
import * as dashboard from './0004_dashboard.ts';
import * as clusters from './0005_clusters.ts';
import * as review from './0006_review.ts';
import * as boundaries from './0008_boundaries.ts';
import * as agenda from './0007_agenda.ts';
import * as privacy from './0009_privacy.ts';
import * as botTexts from './0010_bot_texts.ts';
import * as polls from './0012_polls.ts';
import * as taxonomy from './0013_taxonomy.ts';
import * as dashboardIndexes from './0014_dashboard_indexes.ts';
import * as tables from './0015_tables.ts';
import * as pollQuestions from './0016_poll_questions.ts';

const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0003_bot': bot,
  '0004_dashboard': dashboard,
  '0005_clusters': clusters,
  '0006_review': review,
  '0008_boundaries': boundaries,
  '0007_agenda': agenda,
  '0009_privacy': privacy,
  '0010_bot_texts': botTexts,
  '0012_polls': polls,
  '0013_taxonomy': taxonomy,
  '0014_dashboard_indexes': dashboardIndexes,
  '0015_tables': tables,
  '0016_poll_questions': pollQuestions,
};

/** Every migration's name, in the order they run. */
export const migrationNames: readonly string[] = Object.keys(migrations).sort();

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly migration: string | undefined,
    options: { cause: unknown },
  ) {
    super(`database migration ${migration ?? '(unknown)'} failed`, options);
  }
}

/** Brings the schema up to date. Safe to call from several processes at once: Kysely takes a lock. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(failed?.migrationName, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
