/**
 * Flash polls (/dashboard/peilingen): council and admin users write a poll (one to three questions, each two or three
 * options, the last may be an open answer) for residents who may be invited, narrowed by wijk, age band and care; the poll page previews how many
 * can be reached (suppressed below 5, and sending to fewer than 5 is refused), "Versturen" queues the fan-out
 * ('poll.fanout', pipeline/workers/poll.ts) and returns at once, and shows delivery and results once sent. Everything
 * is checked here on the server: another municipality's poll is a 404, another role a 403, both logged.
 */
import { Hono, type Context } from 'hono';
import type { AgeBand, PollAudience, ResidentRole, User } from '../../db/database.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { batchDeliveryCounts } from '../../db/repositories/feedback.ts';
import { getMunicipality, listWijken } from '../../db/repositories/municipalities.ts';
import { claimPollSend, closePoll, createPoll, findPoll, listPolls, pollResults, previewPollAudience } from '../../db/repositories/polls.ts';
import { audienceProblem, draftQuestions, pollOptions, pollProblems, type PollDraft } from '../../pipeline/loop/poll.ts';
import { pollTemplateLanguages } from '../../pipeline/workers/poll.ts';
import { pollListPage, pollPage, type PollFormValues } from '../views/polls.ts';
import { tableRoutes } from './tables.ts';
import { pollTextsFor } from '../views/polls-texts.ts';
import type { FieldErrors } from '../views/form.ts';
import { refuse, requireRole, stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Who may write, send, read and close polls: the council and administrators of the municipality. */
export const pollRoles: readonly User['role'][] = ['admin', 'council'];

function listField(body: Record<string, unknown>, name: string): string[] {
  const raw = body[name];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.filter((v): v is string => typeof v === 'string').map((v) => v.slice(0, 100));
}

export function pollRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();

  app.use('*', requireRole(db, pollRoles));
  // Invitations to temporary tables are polls too; their routes come before '/:id' (pages/tables.ts).
  app.route('/', tableRoutes(deps));

  const showList = async (c: Context<DashboardEnv>, form: { errors?: FieldErrors; values?: PollFormValues } = {}, status: 200 | 400 = 200) => {
    const user = c.get('user');
    const [polls, wijken] = await Promise.all([listPolls(db, user.municipality_code), listWijken(db, user.municipality_code)]);
    return c.html(pollListPage(await viewContext(c, db), { polls, wijken, ...form }), status);
  };

  app.get('/', (c) => showList(c));

  app.post('/', async (c) => {
    const user = c.get('user');
    const p = pollTextsFor(c.get('lang'));
    const body = await c.req.parseBody({ all: true });
    const values: PollFormValues = {
      question: stringField(body, 'question').trim(),
      kind: stringField(body, 'kind') === 'open' ? 'open' : 'choice',
      options: listField(body, 'option').slice(0, 3),
      // Questions 2 and 3: a block counts when anything was typed in it (or in a block after it).
      more: [2, 3].map((i) => ({ question: stringField(body, `question${i}`).trim(), kind: stringField(body, `kind${i}`) === 'open' ? ('open' as const) : ('choice' as const), options: listField(body, `option${i}`).slice(0, 3) })),
      wijken: listField(body, 'wijk'),
      ageBands: listField(body, 'ageBand'),
      roles: listField(body, 'role'),
    };
    const audience: PollAudience = {
      ...(values.wijken.length > 0 ? { wijken: [...new Set(values.wijken)] } : {}),
      ...(values.ageBands.length > 0 ? { ageBands: [...new Set(values.ageBands)] as AgeBand[] } : {}),
      ...(values.roles.length > 0 ? { roles: [...new Set(values.roles)] as ResidentRole[] } : {}),
    };
    const lastUsed = values.more.findLastIndex((q) => q.question !== '' || q.options.some((o) => o.trim() !== ''));
    const draft: PollDraft = { question: values.question, kind: values.kind, options: values.options, more: values.more.slice(0, lastUsed + 1), audience };
    const wijkCodes = (await listWijken(db, user.municipality_code)).map((w) => w.code);
    const problems = pollProblems(draft, wijkCodes);
    if (problems.size > 0) {
      const errors: FieldErrors = new Map([...problems].map(([field, problem]) => [field, p.errors[problem]]));
      return showList(c, { errors, values }, 400);
    }
    const questions = draftQuestions(draft);
    const poll = await createPoll(db, { municipalityCode: user.municipality_code, question: values.question, kind: values.kind, options: pollOptions(draft), questions, audience, userId: user.id });
    await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'poll.create', municipality_code: user.municipality_code, subject_type: 'poll', subject_id: poll.id, details: { kind: poll.kind, questions: questions.length } });
    return c.redirect(`/dashboard/peilingen/${poll.id}`, 303);
  });

  /** The poll of the user's own municipality; anything else is refused as not found (and logged). */
  const ownPoll = async (c: Context<DashboardEnv>) => {
    const id = c.req.param('id') ?? '';
    const poll = UUID.test(id) ? await findPoll(db, id, c.get('user').municipality_code) : undefined;
    if (!poll) return { refused: await refuse(c, db, 404, { reason: 'poll not in municipality', subjectType: 'poll', subjectId: id }) };
    return { poll };
  };

  const preview = async (municipalityCode: string, audience: PollAudience) => {
    const municipality = await getMunicipality(db, municipalityCode);
    return previewPollAudience(db, municipalityCode, audience, { now: new Date(), templateLanguages: pollTemplateLanguages(municipality?.settings ?? {}) });
  };

  const showPoll = async (c: Context<DashboardEnv>, poll: NonNullable<Awaited<ReturnType<typeof ownPoll>>['poll']>, sendError?: 'empty' | 'too-small') => {
    const ctx = await viewContext(c, db);
    if (poll.sent_at === null) {
      return c.html(pollPage(ctx, { poll, preview: await preview(poll.municipality_code, poll.audience), ...(sendError ? { sendError } : {}) }), sendError ? 400 : 200);
    }
    return c.html(pollPage(ctx, { poll, delivery: await batchDeliveryCounts(db, { kind: 'poll', id: poll.id }), results: await pollResults(db, poll) }));
  };

  app.get('/:id', async (c) => {
    const found = await ownPoll(c);
    if (!found.poll) return found.refused;
    return showPoll(c, found.poll);
  });

  app.post('/:id/verzenden', async (c) => {
    const user = c.get('user');
    const found = await ownPoll(c);
    if (!found.poll) return found.refused;
    const { poll } = found;
    // Sent already (a double click, a second tab): nothing happens twice, the page shows where it is.
    if (poll.sent_at !== null || poll.closed_at !== null) return c.redirect(`/dashboard/peilingen/${poll.id}`, 303);
    const problem = audienceProblem((await preview(poll.municipality_code, poll.audience)).reachable);
    if (problem) return showPoll(c, poll, problem);
    // The compare-and-set decides between two clicks at once; only the winner queues (and the job id dedupes too).
    if (await claimPollSend(db, poll.id)) {
      await deps.queue.enqueue('poll.fanout', { pollId: poll.id });
      await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'poll.send', municipality_code: user.municipality_code, subject_type: 'poll', subject_id: poll.id });
    }
    return c.redirect(`/dashboard/peilingen/${poll.id}`, 303);
  });

  app.post('/:id/sluiten', async (c) => {
    const user = c.get('user');
    const found = await ownPoll(c);
    if (!found.poll) return found.refused;
    if (await closePoll(db, found.poll.id)) {
      await appendAudit(db, { actor_kind: 'user', actor_id: user.id, action: 'poll.close', municipality_code: user.municipality_code, subject_type: 'poll', subject_id: found.poll.id });
    }
    return c.redirect(`/dashboard/peilingen/${found.poll.id}`, 303);
  });

  return app;
}
