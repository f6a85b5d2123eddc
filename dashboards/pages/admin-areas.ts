/**
 * Gazetteer and boundary import from the dashboard (/dashboard/beheer/gebieden), administrators only. Same pattern
 * as the signal import (pages/import.ts): upload, a preview with line- or feature-numbered errors, then confirm; the
 * confirm step posts the same content back and it is parsed and checked again, nothing is kept between the steps.
 * Parsing is the CLI's (db/gazetteer/parse.ts, boundaries.ts); only the administrator's own municipality's rows are
 * accepted: a file naming another municipality stores nothing.
 *
 * After an import the caches of this process are emptied (the bot's wijken, the analysis' gazetteer); other
 * processes (workers started with --role worker) see the change when their cache entries expire: the bot's within
 * 30 s (bot/gazetteer-cache.ts cacheTtlMs), the analysis within 60 s (AnalyserCache ttlMs).
 */
import { Hono } from 'hono';
import { invalidateBotCaches } from '../../bot/gazetteer-cache.ts';
import { BoundaryFileError, parseBoundaries, type BoundaryProblem } from '../../db/gazetteer/boundaries.ts';
import { importBoundaries } from '../../db/gazetteer/boundaries-import.ts';
import { importGazetteer } from '../../db/gazetteer/import.ts';
import { parseGazetteer, type Gazetteer } from '../../db/gazetteer/parse.ts';
import { appendAudit } from '../../db/repositories/audit.ts';
import { invalidateAnalyserCaches } from '../../pipeline/analysis/context.ts';
import { areasPage, type AreaKind, type AreaPreview, type AreaProblem } from '../views/admin-areas.ts';
import { stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

/** Largest file accepted here; app/http/app.ts lets these two routes take a body of up to ADMIN_UPLOAD_LIMIT. */
export const MAX_AREA_FILE = 8 * 1024 * 1024;

type Checked =
  | { kind: 'gazetteer'; gazetteer: Gazetteer; problems: AreaProblem[] }
  | { kind: 'boundaries'; parsed: ReturnType<typeof parseBoundaries> | undefined; problems: AreaProblem[] };

/** Mounted by adminRoutes, behind its administrator check. */
export function areaImportRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();

  app.get('/', async (c) => c.html(areasPage(await viewContext(c, db), {})));

  app.post('/voorbeeld', async (c) => {
    const ctx = await viewContext(c, db);
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) return c.html(areasPage(ctx, { formError: 'empty' }), 400);
    if (file.size > MAX_AREA_FILE) return c.html(areasPage(ctx, { formError: 'tooLarge' }), 413);
    const content = await decode(file);
    if (content === undefined) return c.html(areasPage(ctx, { formError: 'notUtf8' }), 400);
    const fileName = baseName(file.name);
    const checked = check(content, detectKind(fileName, content), c.get('user').municipality_code);
    const preview = await previewOf(deps, checked, content, fileName);
    return c.html(areasPage(ctx, { preview }), checked.problems.length > 0 ? 400 : 200);
  });

  app.post('/', async (c) => {
    const ctx = await viewContext(c, db);
    const admin = c.get('user');
    const body = await c.req.parseBody();
    const content = stringField(body, 'content');
    const fileName = baseName(stringField(body, 'fileName'));
    const kind: AreaKind = stringField(body, 'kind') === 'boundaries' ? 'boundaries' : 'gazetteer';
    if (content.trim() === '') return c.html(areasPage(ctx, { formError: 'empty' }), 400);
    const checked = check(content, kind, admin.municipality_code);
    if (checked.problems.length > 0) return c.html(areasPage(ctx, { preview: await previewOf(deps, checked, content, fileName) }), 400);

    if (checked.kind === 'gazetteer') {
      const counts = await db.transaction().execute(async (trx) => {
        const result = await importGazetteer(trx, checked.gazetteer);
        await appendAudit(trx, {
          actor_kind: 'user',
          actor_id: admin.id,
          action: 'gazetteer.import',
          municipality_code: admin.municipality_code,
          details: { file: fileName, wijken: result.wijken, buurten: result.buurten },
        });
        return result;
      });
      forgetCaches(admin.municipality_code);
      return c.html(areasPage(ctx, { done: { kind: 'gazetteer', wijken: counts.wijken, buurten: counts.buurten, unknown: [] } }));
    }
    if (!checked.parsed) throw new Error('unreachable: boundaries without problems are parsed');
    try {
      // importBoundaries writes its own audit entry per municipality, with this administrator as the actor.
      const result = await importBoundaries(db, checked.parsed, { fileName: fileName || 'upload.geojson', actor: admin.id });
      forgetCaches(admin.municipality_code);
      return await c.html(areasPage(ctx, { done: { kind: 'boundaries', wijken: result.wijken, buurten: result.buurten, unknown: result.unknown } }));
    } catch (error) {
      if (!(error instanceof BoundaryFileError)) throw error;
      const problems = error.problems.map(problemOf);
      return c.html(areasPage(ctx, { preview: { kind, content: '', fileName, wijken: 0, buurten: 0, unknown: [], problems } }), 400);
    }
  });

  return app;
}

/** Parses with the CLI's parsers, then refuses everything that is not the administrator's own municipality. */
function check(content: string, kind: AreaKind, own: string): Checked {
  if (kind === 'gazetteer') {
    const parsed = parseGazetteer(content);
    if (!parsed.ok) return { kind, gazetteer: { municipalities: [], wijken: [], buurten: [] }, problems: parsed.errors.map((e): AreaProblem => ({ kind: 'parse', at: e.line, message: e.message })) };
    const foreign = parsed.municipalities.filter((m) => m.code !== own);
    const problems = foreign.map((m): AreaProblem => ({ kind: 'foreignMunicipality', at: null, code: m.code, name: m.name, own }));
    return { kind, gazetteer: parsed, problems };
  }
  let parsed;
  try {
    parsed = parseBoundaries(content);
  } catch (error) {
    if (error instanceof BoundaryFileError) return { kind, parsed: undefined, problems: error.problems.map(problemOf) };
    throw error;
  }
  // CBS codes hold the municipality's four digits: WK0479xx, BU0479xxxx belong to GM0479.
  const digits = own.slice(2);
  const problems = parsed.boundaries.flatMap((b, index) =>
    b.code.slice(2, 6) === digits ? [] : [{ kind: 'foreignArea', at: index + 1, area: b.code, code: `GM${b.code.slice(2, 6)}`, own } satisfies AreaProblem],
  );
  return { kind, parsed, problems };
}

async function previewOf(deps: PageDeps, checked: Checked, content: string, fileName: string): Promise<AreaPreview> {
  if (checked.kind === 'gazetteer') {
    const g = checked.gazetteer;
    return { kind: 'gazetteer', content, fileName, wijken: g.wijken.length, buurten: g.buurten.length, unknown: [], problems: checked.problems };
  }
  const boundaries = checked.parsed?.boundaries ?? [];
  // Codes the gazetteer does not know are skipped on import: say so before.
  const codes = boundaries.map((b) => b.code);
  const known = new Set<string>();
  if (checked.problems.length === 0 && codes.length > 0) {
    const wijken = codes.filter((code) => code.startsWith('WK'));
    const buurten = codes.filter((code) => code.startsWith('BU'));
    if (wijken.length > 0) for (const r of await deps.db.selectFrom('wijken').select('code').where('code', 'in', wijken).execute()) known.add(r.code);
    if (buurten.length > 0) for (const r of await deps.db.selectFrom('buurten').select('code').where('code', 'in', buurten).execute()) known.add(r.code);
  }
  return {
    kind: 'boundaries',
    content,
    fileName,
    wijken: boundaries.filter((b) => b.level === 'wijk' && known.has(b.code)).length,
    buurten: boundaries.filter((b) => b.level === 'buurt' && known.has(b.code)).length,
    unknown: checked.problems.length === 0 ? codes.filter((code) => !known.has(code)) : [],
    problems: checked.problems,
  };
}

function problemOf(p: BoundaryProblem): AreaProblem {
  return { kind: 'parse', at: p.feature === null ? null : p.feature + 1, message: p.message };
}

function forgetCaches(municipality: string): void {
  invalidateBotCaches();
  invalidateAnalyserCaches(municipality);
}

/** A GeoJSON file by its name, or by its first character when the name says nothing. */
function detectKind(fileName: string, content: string): AreaKind {
  if (/\.(geo)?json$/i.test(fileName)) return 'boundaries';
  if (/\.(csv|txt)$/i.test(fileName)) return 'gazetteer';
  return content.trimStart().replace(/^\uFEFF/, '').startsWith('{') ? 'boundaries' : 'gazetteer';
}

async function decode(file: File): Promise<string | undefined> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return undefined;
  }
}

/** The upload's name is only a label in the audit log: never a path. */
function baseName(name: string): string {
  return (name.split(/[\\/]/).at(-1) ?? '').slice(0, 200);
}
