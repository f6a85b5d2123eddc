/**
 * Temporary tables (/dashboard/peilingen/uitnodiging, /dashboard/peilingen/:id/tafel): a council member or
 * administrator invites the residents of one cluster who may be invited to a meeting on its topic. The invitation is
 * stored as a poll with three fixed options (pipeline/loop/tables.ts) and the cluster as its audience, so previewing,
 * the refusal below 5 residents, sending, delivery and the answers in the chat are the poll's (pages/polls.ts). The
 * organiser's page adds the counts, and the numbers of residents who chose "Ja, deel mijn nummer", audited on view.
 * Mounted inside pollRoutes, so the role check (admin, council) is the poll pages'; the municipality is checked here.
 */
import { Hono, type Context } from 'hono';
import type { Meeting, Poll } from '../../db/database.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { listClusters } from '../../db/repositories/clusters.ts';
import { createPoll, findPoll, pollResults } from '../../db/repositories/polls.ts';
import { invitationContacts } from '../../db/repositories/tables.ts';
import { invitationCounts, invitationOptions, invitationQuestion, meetingProblems } from '../../pipeline/loop/tables.ts';
import { MIN_RESIDENTS } from '../suppression.ts';
import type { FieldErrors } from '../views/form.ts';
import { invitationFormPage, tablePage, tableTextsFor, type InvitationFormValues } from '../views/tables.ts';
import { refuse, stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function tableRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();

  // Only clusters large enough to reach the smallest audience (and to be shown at all outside the review queue).
  const clustersOf = async (municipalityCode: string) => (await listClusters(db, municipalityCode, { limit: 200 })).filter((c) => c.resident_count >= MIN_RESIDENTS);

  const showForm = async (c: Context<DashboardEnv>, values: InvitationFormValues, errors?: FieldErrors) => {
    const clusters = await clustersOf(c.get('user').municipality_code);
    return c.html(invitationFormPage(await viewContext(c, db), { clusters, values, ...(errors ? { errors } : {}) }), errors ? 400 : 200);
  };

  app.get('/uitnodiging', (c) => showForm(c, { clusterId: c.req.query('cluster') ?? '', title: '', when: '', where: '', text: '' }));

  app.post('/uitnodiging', async (c) => {
    const user = c.get('user');
    const t = tableTextsFor(c.get('lang'));
    const body = await c.req.parseBody();
    const values: InvitationFormValues = {
      clusterId: stringField(body, 'cluster').trim(),
      title: stringField(body, 'title').trim(),
      when: stringField(body, 'when').trim(),
      where: stringField(body, 'where').trim(),
      text: stringField(body, 'text').trim(),
    };
    const meeting: Meeting = { title: values.title, when: values.when, where: values.where, text: values.text };
    const errors: FieldErrors = new Map();
    if (!(await clustersOf(user.municipality_code)).some((cl) => cl.id === values.clusterId)) errors.set('cluster', t.errors.cluster);
    for (const field of meetingProblems(meeting)) errors.set(field, t.errors[field]);
    if (errors.size > 0) return showForm(c, values, errors);
    const poll = await createPoll(db, {
      municipalityCode: user.municipality_code,
      question: invitationQuestion(meeting),
      kind: 'choice',
      options: invitationOptions,
      audience: { clusterId: values.clusterId },
      userId: user.id,
      meeting,
    });
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'table.create', municipality_code: user.municipality_code, subject_type: 'poll', subject_id: poll.id, details: { clusterId: values.clusterId } });
    return c.redirect(`/dashboard/peilingen/${poll.id}`, 303);
  });

  /** An invitation of the user's own municipality; anything else (another municipality, a flash poll) is a logged 404. */
  const ownInvitation = async (c: Context<DashboardEnv>): Promise<{ poll: Poll & { meeting: Meeting } } | { refused: Response }> => {
    const id = c.req.param('id') ?? '';
    const poll = UUID.test(id) ? await findPoll(db, id, c.get('user').municipality_code) : undefined;
    if (!poll || poll.meeting === null) return { refused: await refuse(c, db, 404, { reason: 'invitation not in municipality', subjectType: 'poll', subjectId: id }) };
    return { poll: { ...poll, meeting: poll.meeting } };
  };

  const showTable = async (c: Context<DashboardEnv>, withContacts: boolean) => {
    const found = await ownInvitation(c);
    if ('refused' in found) return found.refused;
    const { poll } = found;
    const ctx = await viewContext(c, db);
    if (poll.sent_at === null) return c.html(tablePage(ctx, { poll }));
    const results = await pollResults(db, poll);
    const counts = invitationCounts(results.sent, results.perOption);
    if (!withContacts) return c.html(tablePage(ctx, { poll, counts }));
    const contacts = await invitationContacts(db, poll.id);
    const user = c.get('user');
    // Numbers are personal data: every view is in the audit log (how many, never which).
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'table.contacts.view', municipality_code: user.municipality_code, subject_type: 'poll', subject_id: poll.id, details: { whatsapp: contacts.whatsapp.length, webChat: contacts.webChat } });
    return c.html(tablePage(ctx, { poll, counts, contacts }));
  };

  app.get('/:id/tafel', (c) => showTable(c, false));
  app.get('/:id/tafel/contact', (c) => showTable(c, true));

  return app;
}
