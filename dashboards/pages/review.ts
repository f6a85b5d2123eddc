/**
 * The review queue (/dashboard/beoordelen): council, team and admin users of the municipality confirm or correct the
 * analysis of signals the pipeline was unsure about or flagged urgent. The signal must be the user's municipality's:
 * another id is refused (404), logged, nothing changed. Every view of the queue's text is audited. Admins download
 * the reviewed signals as labelled examples (CONTRACTS.md section 8) at /dashboard/beoordelen/export.jsonl.
 */
import { Hono, type Context } from 'hono';
import { appendAudit, auditSignalView } from '../../db/repositories/audit.ts';
import { accuracyPerDomain, examplesJsonl, findSignalForReview, labelledExamples, listReviews, reviewQueue, storeReview } from '../../db/repositories/dashboard-review.ts';
import { listWijken } from '../../db/repositories/municipalities.ts';
import { taxonomyOf } from '../../db/repositories/taxonomy.ts';
import { activeDomains } from '../../pipeline/taxonomy.ts';
import { reviewPage } from '../views/review.ts';
import { writerRoles } from '../views/shell.ts';
import type { FieldErrors } from '../views/form.ts';
import { refuse, requireRole, stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REFERENCE = /^WS-[2-9A-Z]{6}$/;

export function reviewRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();
  app.use('*', requireRole(db, writerRoles));

  const show = async (c: Context<DashboardEnv>, extra: { errors?: { signalId: string; errors: FieldErrors } | undefined; saved?: string | undefined }, status: 200 | 400) => {
    const user = c.get('user');
    const ctx = await viewContext(c, db);
    const queue = await reviewQueue(db, user.municipality_code);
    const reviews = await listReviews(db, user.municipality_code);
    const accuracy = accuracyPerDomain(reviews);
    await auditSignalView(db, user, queue.map((s) => s.id), { view: 'review' });
    return c.html(
      reviewPage(ctx, {
        queue,
        wijken: await listWijken(db, user.municipality_code),
        accuracy,
        reviewCount: reviews.length,
        // Retired domains are not offered (issue 5); added ones are, since only people assign them.
        domainKeys: activeDomains(await taxonomyOf(db, user.municipality_code)).map((d) => d.key),
        changedCount: reviews.filter((r) => r.changed).length,
        errors: extra.errors,
        saved: extra.saved,
      }),
      status,
    );
  };

  app.get('/', async (c) => {
    const saved = c.req.query('opgeslagen');
    return show(c, { saved: saved && REFERENCE.test(saved) ? saved : undefined }, 200);
  });

  app.get('/export.jsonl', async (c) => {
    const user = c.get('user');
    if (user.role !== 'admin') return refuse(c, db, 403, { reason: 'role', role: user.role });
    const examples = await labelledExamples(db, user.municipality_code);
    await appendAudit(db, {
      actor_kind: 'user',
      actor_id: user.id,
      action: 'review.export',
      municipality_code: user.municipality_code,
      subject_type: 'signal',
      subject_id: null,
      details: { count: examples.length },
    });
    c.header('content-type', 'application/jsonl; charset=utf-8');
    c.header('content-disposition', `attachment; filename="labelled-${user.municipality_code}.jsonl"`);
    return c.body(examplesJsonl(examples));
  });

  app.post('/:id', async (c) => {
    const user = c.get('user');
    const id = c.req.param('id');
    const signal = UUID.test(id) ? await findSignalForReview(db, id, user.municipality_code) : undefined;
    if (!signal) return refuse(c, db, 404, { reason: 'signal not in municipality', subjectType: 'signal', subjectId: id });
    const body = await c.req.parseBody({ all: true });
    const raw = body.domain;
    const domains = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((d) => (typeof d === 'string' ? d : ''));
    const wijkCode = stringField(body, 'wijk').trim();
    const wijken = await listWijken(db, user.municipality_code);
    const t = (await viewContext(c, db)).t.review.errors;
    const errors: FieldErrors = new Map();
    // The municipality's domains in use, and those the signal has already (a retired one may be kept, not added).
    const allowed = new Set([...activeDomains(await taxonomyOf(db, user.municipality_code)).map((d) => d.key), ...signal.domains.map((d) => d.key)]);
    if (domains.some((d) => !allowed.has(d)) || new Set(domains).size !== domains.length) errors.set('domain', t.domain);
    if (wijkCode !== '' && !wijken.some((w) => w.code === wijkCode)) errors.set('wijk', t.wijk);
    if (errors.size > 0) return show(c, { errors: { signalId: signal.id, errors } }, 400);
    const review = await storeReview(db, { signal, municipalityCode: user.municipality_code, reviewerUserId: user.id, domains, wijkCode: wijkCode === '' ? null : wijkCode });
    await appendAudit(db, {
      actor_kind: 'user',
      actor_id: user.id,
      action: 'signal.review',
      municipality_code: user.municipality_code,
      subject_type: 'signal',
      subject_id: signal.id,
      details: { review_id: review.id, changed: review.changed, old_domains: review.old_domains, new_domains: review.new_domains, old_wijk: review.old_wijk_code, new_wijk: review.new_wijk_code },
    });
    return c.redirect(`/dashboard/beoordelen?opgeslagen=${signal.reference}`, 303);
  });

  return app;
}
