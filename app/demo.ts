/**
 * The demo municipality: on a first start with an empty database, the hand-made Zaanstad gazetteer is loaded and a
 * first admin is created whose password is shown once. An advisory lock makes two processes starting together agree
 * on who loads it.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import { demoGazetteerPath, DEMO_MUNICIPALITY } from '../db/demo/index.ts';
import { importGazetteer, readGazetteerFile } from '../db/gazetteer/import.ts';
import { createUser } from '../db/repositories/users.ts';
import { appendAudit } from '../db/repositories/audit.ts';
import { generatePassword, hashPassword } from '../dashboards/auth/password.ts';
import type { Logger } from './logger.ts';

export const demoAdminEmail = 'admin@zaanstad.demo';
const demoLockKey = 479_0001;

export async function loadDemoOnFirstStart(
  db: Kysely<Database>,
  logger: Logger,
): Promise<{ municipality: string; email: string; password: string } | undefined> {
  const parsed = await readGazetteerFile(demoGazetteerPath);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${demoLockKey})`.execute(trx);
    const any = await trx.selectFrom('municipalities').select('code').limit(1).executeTakeFirst();
    if (any) return undefined;
    await importGazetteer(trx, parsed, { demo: true });
    const admin = await createUser(trx, { email: demoAdminEmail, passwordHash, role: 'admin', municipalityCode: DEMO_MUNICIPALITY });
    await appendAudit(trx, { actor_kind: 'system', actor_id: null, action: 'demo.loaded', municipality_code: DEMO_MUNICIPALITY, subject_type: 'user', subject_id: admin.id });
    logger.info({ municipality: DEMO_MUNICIPALITY }, 'demo municipality loaded');
    return { municipality: DEMO_MUNICIPALITY, email: demoAdminEmail, password };
  });
}
