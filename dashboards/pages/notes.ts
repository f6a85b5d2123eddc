/**
 * Street notes (/dashboard/notities): teams, council members and administrators note conversations in the street.
 * The note always belongs to the user's own municipality, and its wijk must be one of that municipality's: a wijk
 * code of another municipality is refused like any other bad value. Stored in one transaction, then queued.
 */
import { Hono } from 'hono';
import { appendAudit } from '../../db/repositories/audit.ts';
import { listWijken } from '../../db/repositories/municipalities.ts';
import { findStreetNote, insertStreetNote } from '../../db/repositories/street-notes.ts';
import type { AgeBand, ResidentRole } from '../../db/database.ts';
import { queueSignal } from '../../bot/intake.ts';
import { MAX_TEXT_LENGTH } from '../../pipeline/intake/signal-import.ts';
import type { FieldErrors } from '../views/form.ts';
import { ageBands, notesPage, residentRoles, type NoteFormValues } from '../views/notes.ts';
import { writerRoles } from '../views/shell.ts';
import { requireRole, stringField, todayInAmsterdam, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

export const MAX_SIGNALS_PER_NOTE = 20;
const MAX_PLACE_LENGTH = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function notesRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();
  app.use('*', requireRole(db, writerRoles));

  app.get('/', async (c) => {
    const ctx = await viewContext(c, db);
    const user = c.get('user');
    const savedId = c.req.query('opgeslagen');
    const note = savedId && UUID.test(savedId) ? await findStreetNote(db, savedId, user.municipality_code) : undefined;
    const today = todayInAmsterdam();
    return c.html(
      notesPage(ctx, {
        wijken: await listWijken(db, user.municipality_code),
        values: { wijk: '', place: '', date: today, ageBand: '', role: '', signals: [''] },
        today,
        errors: new Map(),
        posted: false,
        saved: note ? { references: note.signals.map((s) => s.reference) } : undefined,
      }),
    );
  });

  app.post('/', async (c) => {
    const ctx = await viewContext(c, db);
    const user = c.get('user');
    const body = await c.req.parseBody({ all: true });
    const rawSignals = body.signal;
    const signals = (Array.isArray(rawSignals) ? rawSignals : rawSignals === undefined ? [] : [rawSignals]).map((s) => (typeof s === 'string' ? s : ''));
    const values: NoteFormValues = {
      wijk: stringField(body, 'wijk').trim(),
      place: stringField(body, 'place').trim(),
      date: stringField(body, 'date').trim(),
      ageBand: stringField(body, 'ageBand').trim(),
      role: stringField(body, 'role').trim(),
      signals: signals.length > 0 ? signals : [''],
    };
    const wijken = await listWijken(db, user.municipality_code);
    const today = todayInAmsterdam();
    const render = (errors: FieldErrors, status: 200 | 400, focusSignal?: number) =>
      c.html(notesPage(ctx, { wijken, values, today, errors, posted: true, focusSignal }), status);

    if (stringField(body, 'action') === 'add') {
      if (values.signals.length < MAX_SIGNALS_PER_NOTE) values.signals.push('');
      return render(new Map(), 200, values.signals.length - 1);
    }

    const t = ctx.t.notes.errors;
    const errors: FieldErrors = new Map();
    const wijk = wijken.find((w) => w.code === values.wijk);
    if (!wijk && (wijken.length > 0 || values.wijk !== '')) errors.set('wijk', t.wijk);
    if (Array.from(values.place).length > MAX_PLACE_LENGTH) errors.set('place', t.place);
    if (!validNoteDate(values.date, today)) errors.set('date', t.date);
    if (values.ageBand !== '' && !(ageBands as readonly string[]).includes(values.ageBand)) errors.set('ageBand', t.ageBand);
    if (values.role !== '' && !(residentRoles as readonly string[]).includes(values.role)) errors.set('role', t.role);
    const texts = values.signals.map((s) => s.trim());
    if (texts.length > MAX_SIGNALS_PER_NOTE) errors.set('signals', t.tooMany(MAX_SIGNALS_PER_NOTE));
    texts.forEach((text, i) => {
      if (Array.from(text).length > MAX_TEXT_LENGTH) errors.set(`signal-${i}`, t.tooLong(i + 1, MAX_TEXT_LENGTH));
    });
    const filled = texts.filter((s) => s !== '');
    if (filled.length === 0) errors.set('signals', t.noSignal);
    if (errors.size > 0) {
      if (errors.has('wijk') && values.wijk !== '' && !wijk) {
        // A code that is not one of this municipality's wijken: maybe another municipality's. Logged, never stored.
        await appendAudit(db, {
          actor_kind: 'user',
          actor_id: user.id,
          action: 'street_note.refused',
          municipality_code: user.municipality_code,
          subject_type: 'wijk',
          subject_id: values.wijk.slice(0, 20),
          details: { reason: 'wijk not in municipality' },
        });
      }
      return render(errors, 400);
    }

    const placeAnswer = [values.place, wijk?.name].filter((p): p is string => p !== undefined && p !== '').join(', ') || null;
    const note = await db.transaction().execute(async (trx) => {
      const stored = await insertStreetNote(trx, {
        municipalityCode: user.municipality_code,
        authorUserId: user.id,
        wijkCode: wijk?.code ?? null,
        place: values.place || null,
        notedOn: values.date,
        ageBand: (values.ageBand || null) as AgeBand | null,
        residentRole: (values.role || null) as ResidentRole | null,
        placeAnswer,
        signals: filled,
      });
      await appendAudit(trx, {
        actor_kind: 'user',
        actor_id: user.id,
        action: 'street_note.create',
        municipality_code: user.municipality_code,
        subject_type: 'street_note',
        subject_id: stored.id,
        details: { signal_ids: stored.signals.map((s) => s.id) },
      });
      return stored;
    });
    for (const s of note.signals) await queueSignal(deps, s.id);
    return c.redirect(`/dashboard/notities?opgeslagen=${note.id}`, 303);
  });

  return app;
}

/** A real calendar date, not after today and not more than a year before it. */
export function validNoteDate(value: string, today: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return false;
  const todayDate = new Date(`${today}T00:00:00Z`);
  const yearAgo = new Date(todayDate);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  return date <= todayDate && date >= yearAgo;
}
