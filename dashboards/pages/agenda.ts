/**
 * The participation agenda (/dashboard/agenda): council and admin users put clusters on the agenda, move an item
 * through its statuses (pipeline/loop/status.ts), write notes, the advice, the decision and the message to residents;
 * "reported back" queues the feedback fan-out (pipeline/workers/feedback.ts) and returns at once. Team users read
 * (they work with residents and should see what became of it); region users read their region's agendas side by
 * side. Everything is checked here on the server: an item of another municipality is a 404, logged.
 */
import { Hono, type Context } from 'hono';
import type { AgendaStatus } from '../../db/database.ts';
import { addAgendaNote, agendaHistory, changeAgendaStatus, clustersOfMunicipality, createAgendaItem, findAgendaItem, listAgendaItems, publishesAgenda, setPublicAgenda } from '../../db/repositories/agenda.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { listClusters } from '../../db/repositories/clusters.ts';
import { feedbackDeliveryCounts } from '../../db/repositories/feedback.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import { isAgendaStatus, transitionProblem } from '../../pipeline/loop/status.ts';
import type { User } from '../../db/database.ts';
import { agendaTextsFor } from '../views/agenda-texts.ts';
import { agendaItemPage, agendaListPage, type AgendaFormValues, type StatusFormValues } from '../views/agenda.ts';
import type { FieldErrors } from '../views/form.ts';
import { refuse, stringField, userScope, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Who may change the agenda. Team and region users read it. */
export const agendaEditorRoles: readonly User['role'][] = ['admin', 'council'];

const limits = { title: 200, description: 2000, note: 2000, advice: 4000, decision: 4000, feedback: 1000 } as const;

export function agendaRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db, logger } = deps;
  const app = new Hono<DashboardEnv>();
  const canEdit = (user: User) => agendaEditorRoles.includes(user.role);

  const showList = async (c: Context<DashboardEnv>, form: { errors?: FieldErrors; values?: AgendaFormValues } = {}, status: 200 | 400 = 200) => {
    const user = c.get('user');
    const scope = await userScope(db, user);
    const items = await listAgendaItems(db, scope.codes);
    const groups = scope.municipalities.map((municipality) => ({ municipality, items: items.filter((i) => i.municipality_code === municipality.code) }));
    const own = scope.municipalities.find((m) => m.code === user.municipality_code);
    const clusters = canEdit(user) ? await listClusters(db, user.municipality_code, { limit: 200 }) : [];
    const ctx = await viewContext(c, db);
    return c.html(
      agendaListPage(ctx, {
        groups,
        canEdit: canEdit(user),
        isAdmin: user.role === 'admin',
        clusters,
        publicOn: own ? publishesAgenda(own.settings) : false,
        publicPath: `/publiek/${user.municipality_code}`,
        ...form,
      }),
      status,
    );
  };

  app.get('/', (c) => showList(c));

  app.post('/', async (c) => {
    const user = c.get('user');
    if (!canEdit(user)) return refuse(c, db, 403, { reason: 'role', role: user.role });
    const a = agendaTextsFor(c.get('lang'));
    const body = await c.req.parseBody({ all: true });
    const raw = body.cluster;
    const clusterIds = [...new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string').map((v) => v.slice(0, 100)))];
    const values: AgendaFormValues = { title: stringField(body, 'title').trim(), description: stringField(body, 'description').trim(), clusters: clusterIds };
    const clusters = await clustersOfMunicipality(db, user.municipality_code, clusterIds);
    const errors: FieldErrors = new Map();
    // A cluster id of another municipality counts as not chosen: nothing of it is stored.
    if (clusters.length === 0 || clusters.length !== clusterIds.length) errors.set('clusters', a.errors.clusters);
    if (values.title.length === 0 || values.title.length > limits.title) errors.set('title', a.errors.title);
    if (values.description.length > limits.description) errors.set('description', a.errors.description);
    if (errors.size > 0) return showList(c, { errors, values }, 400);
    const item = await createAgendaItem(db, { municipalityCode: user.municipality_code, title: values.title, description: values.description, clusterIds, userId: user.id }, clusters);
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'agenda.create', municipality_code: user.municipality_code, subject_type: 'agenda_item', subject_id: item.id, details: { clusters: clusterIds } });
    return c.redirect(`/dashboard/agenda/${item.id}`, 303);
  });

  app.post('/publiek', async (c) => {
    const user = c.get('user');
    if (user.role !== 'admin') return refuse(c, db, 403, { reason: 'role', role: user.role });
    const on = stringField(await c.req.parseBody(), 'public') === 'on';
    await setPublicAgenda(db, user.municipality_code, on);
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'agenda.public', municipality_code: user.municipality_code, subject_type: 'municipality', subject_id: user.municipality_code, details: { on } });
    return c.redirect('/dashboard/agenda', 303);
  });

  /** The item when the user may read it (their municipality, or their region's); undefined otherwise. */
  const readable = async (user: User, id: string) => {
    if (!UUID.test(id)) return undefined;
    return findAgendaItem(db, id, (await userScope(db, user)).codes);
  };

  const showItem = async (c: Context<DashboardEnv>, item: NonNullable<Awaited<ReturnType<typeof readable>>>, extra: { errors?: FieldErrors; values?: StatusFormValues; noteError?: string; saved?: boolean } = {}, status: 200 | 400 = 200) => {
    const user = c.get('user');
    const municipality = await getMunicipality(db, item.municipality_code);
    const ctx = await viewContext(c, db);
    return c.html(
      agendaItemPage(ctx, {
        item,
        municipalityName: municipality?.name ?? item.municipality_code,
        history: await agendaHistory(db, item.id),
        delivery: await feedbackDeliveryCounts(db, item.id),
        // Only the item's own municipality changes it (a region user reads).
        canEdit: canEdit(user) && item.municipality_code === user.municipality_code,
        ...extra,
      }),
      status,
    );
  };

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const item = await readable(c.get('user'), id);
    if (!item) return refuse(c, db, 404, { reason: 'agenda item not in scope', subjectType: 'agenda_item', subjectId: id });
    return showItem(c, item, { saved: c.req.query('opgeslagen') === '1' });
  });

  /** The item for a change: the user's own municipality only, and a role that may change it. */
  const changeable = async (c: Context<DashboardEnv>) => {
    const user = c.get('user');
    const id = c.req.param('id') ?? '';
    const item = UUID.test(id) ? await findAgendaItem(db, id, [user.municipality_code]) : undefined;
    if (!item) return { refused: await refuse(c, db, 404, { reason: 'agenda item not in municipality', subjectType: 'agenda_item', subjectId: id }) };
    if (!canEdit(user)) return { refused: await refuse(c, db, 403, { reason: 'role', role: user.role, subjectType: 'agenda_item', subjectId: id }) };
    return { item };
  };

  app.post('/:id/status', async (c) => {
    const user = c.get('user');
    const found = await changeable(c);
    if (!found.item) return found.refused;
    const { item } = found;
    const a = agendaTextsFor(c.get('lang'));
    const body = await c.req.parseBody();
    const values: StatusFormValues = {
      to: stringField(body, 'to'),
      advice: stringField(body, 'advice').trim(),
      decision: stringField(body, 'decision').trim(),
      feedbackNl: stringField(body, 'feedbackNl').trim(),
      feedbackEn: stringField(body, 'feedbackEn').trim(),
    };
    // A double click (or a second person) asking for the status the item already has: done, nothing twice.
    if (values.to === item.status) return c.redirect(`/dashboard/agenda/${item.id}?opgeslagen=1`, 303);
    const errors: FieldErrors = new Map();
    if (values.advice.length > limits.advice) errors.set('advice', a.errors.tooLong);
    if (values.decision.length > limits.decision) errors.set('decision', a.errors.tooLong);
    if (values.feedbackNl.length > limits.feedback) errors.set('feedbackNl', a.errors.tooLong);
    if (values.feedbackEn.length > limits.feedback) errors.set('feedbackEn', a.errors.tooLong);
    const texts = { advice: values.advice || null, decision: values.decision || null, feedbackNl: values.feedbackNl || null, feedbackEn: values.feedbackEn || null };
    const problem = transitionProblem(item.status, values.to, texts);
    if (problem) {
      const field = problem === 'advice-required' ? 'advice' : problem === 'decision-required' ? 'decision' : problem === 'feedback-required' ? 'feedbackNl' : 'to';
      if (!errors.has(field)) errors.set(field, a.errors.transition[problem]);
    }
    if (errors.size > 0 || !isAgendaStatus(values.to)) return showItem(c, item, { errors, values }, 400);
    const to: AgendaStatus = values.to;
    const moved = await changeAgendaStatus(db, { itemId: item.id, municipalityCode: user.municipality_code, from: item.status, to, userId: user.id, texts });
    if (!moved) {
      // Someone moved it in the meantime: show the item as it is now, nothing changed by this request.
      return c.redirect(`/dashboard/agenda/${item.id}`, 303);
    }
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'agenda.status', municipality_code: user.municipality_code, subject_type: 'agenda_item', subject_id: item.id, details: { from: item.status, to } });
    if (to === 'reported_back') {
      // The fan-out is a job, so this click returns at once; if the queue is down, the sweep resumes it.
      try {
        await deps.queue.enqueue('feedback.fanout', { agendaItemId: item.id });
      } catch (error) {
        logger.warn({ agendaItemId: item.id, err: error }, 'could not queue the feedback fan-out; the sweep will queue it');
      }
    }
    return c.redirect(`/dashboard/agenda/${item.id}?opgeslagen=1`, 303);
  });

  app.post('/:id/notities', async (c) => {
    const user = c.get('user');
    const found = await changeable(c);
    if (!found.item) return found.refused;
    const note = stringField(await c.req.parseBody(), 'note').trim();
    if (note.length === 0 || note.length > limits.note) return showItem(c, found.item, { noteError: agendaTextsFor(c.get('lang')).errors.note }, 400);
    await addAgendaNote(db, found.item.id, note, user.id);
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'agenda.note', municipality_code: user.municipality_code, subject_type: 'agenda_item', subject_id: found.item.id });
    return c.redirect(`/dashboard/agenda/${found.item.id}?opgeslagen=1`, 303);
  });

  return app;
}
