/**
 * The 'privacy.retention' job: the daily retention run of one municipality (db/repositories/retention.ts) with its
 * own periods or the configured defaults. Idempotent (what is gone stays gone) and batch-limited: a run that reaches
 * its limit queues the day's next part. It logs and audits counts only, never text or contact data.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import { applyRetention, type RetentionOptions } from '../../db/repositories/retention.ts';
import type { Logger } from '../../app/logger.ts';
import { defaultRetention, retentionFor, type RetentionPolicy } from '../privacy/retention.ts';
import type { JobHandler, JobQueue } from '../queue/queue.ts';

export interface RetentionDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** The configured defaults (WIJKSTEM_RETENTION_*). */
  retention?: RetentionPolicy | undefined;
  /** Batch sizes and the clock, for tests. */
  retentionOptions?: RetentionOptions | undefined;
  /** Where a follow-up run goes when one run's batch limit was reached. */
  queue?: Pick<JobQueue, 'enqueue'> | undefined;
}

export function createRetentionHandler(deps: RetentionDeps): JobHandler<'privacy.retention'> {
  return async ({ municipalityCode, day, part }, job) => {
    const municipality = await getMunicipality(deps.db, municipalityCode);
    if (!municipality) {
      deps.logger.info({ municipalityCode, jobId: job.id }, 'municipality no longer exists; retention skipped');
      return;
    }
    const policy = retentionFor(municipality.settings, deps.retention ?? defaultRetention);
    const counts = await applyRetention(deps.db, municipalityCode, policy, deps.retentionOptions);
    // Accountability: that it ran, with which periods, and how much went (counts only).
    await appendAudit(deps.db, { actor_kind: 'system', actor_id: null, action: 'privacy.retention', municipality_code: municipalityCode, subject_type: null, subject_id: null, details: { ...policy, ...counts } });
    deps.logger.info({ municipalityCode, jobId: job.id, ...policy, ...counts }, 'retention applied');
    // A backlog bigger than one run (a first run on old data): the next part follows at once, with its own id.
    if (counts.more && deps.queue) await deps.queue.enqueue('privacy.retention', { municipalityCode, day, part: (part ?? 0) + 1 });
  };
}
