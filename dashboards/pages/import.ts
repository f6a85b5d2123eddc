/**
 * Bulk import (/dashboard/importeren): upload or paste CSV or JSONL, see a preview with line-numbered errors, then
 * confirm. The confirm step posts the same content back and it is parsed and checked again (nothing is kept
 * between the steps); all rows are stored in one transaction, or none. Rows go to the user's own municipality: a
 * row naming another one is an error.
 */
import { Hono } from 'hono';
import { findAlreadyImported, queueStored, storeImport } from '../../pipeline/intake/import-signals.ts';
import { assignMunicipalities, detectFormat, parseSignalImport, type ImportFormat } from '../../pipeline/intake/signal-import.ts';
import { importPage } from '../views/import.ts';
import { writerRoles } from '../views/shell.ts';
import { requireRole, stringField, viewContext, type DashboardEnv, type PageDeps } from './context.ts';

export function importRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();
  app.use('*', requireRole(db, writerRoles));

  app.get('/', async (c) => c.html(importPage(await viewContext(c, db), {})));

  const check = (content: string, format: ImportFormat, own: string) =>
    assignMunicipalities(parseSignalImport(content, format), {
      fallback: own,
      allowed: (code) => code === own,
      refusal: (code) => ({ kind: 'municipality_not_yours', code, own }),
    });

  app.post('/voorbeeld', async (c) => {
    const ctx = await viewContext(c, db);
    const user = c.get('user');
    const body = await c.req.parseBody();
    const file = body.file;
    let content = stringField(body, 'text');
    let fileName = '';
    if (file instanceof File && file.size > 0) {
      content = await file.text();
      fileName = baseName(file.name);
    }
    if (content.trim() === '') return c.html(importPage(ctx, { formError: ctx.t.import.empty }), 400);
    const format = detectFormat(fileName, content);
    const checked = check(content, format, user.municipality_code);
    const already = checked.errors.length === 0 ? await findAlreadyImported(db, checked.rows) : new Set();
    return c.html(
      importPage(ctx, { preview: { content, format, fileName, rows: checked.rows, errors: checked.errors, alreadyImported: already.size } }),
      checked.errors.length > 0 ? 400 : 200,
    );
  });

  app.post('/', async (c) => {
    const ctx = await viewContext(c, db);
    const user = c.get('user');
    const body = await c.req.parseBody();
    const content = stringField(body, 'content');
    const fileName = baseName(stringField(body, 'fileName'));
    const format: ImportFormat = stringField(body, 'format') === 'jsonl' ? 'jsonl' : 'csv';
    if (content.trim() === '') return c.html(importPage(ctx, { formError: ctx.t.import.empty }), 400);
    const checked = check(content, format, user.municipality_code);
    if (checked.errors.length > 0) {
      return c.html(importPage(ctx, { preview: { content, format, fileName, rows: checked.rows, errors: checked.errors, alreadyImported: 0 } }), 400);
    }
    const result = await storeImport(db, checked.rows, { kind: 'user', id: user.id, fileName: fileName || undefined });
    await queueStored(deps, result.stored);
    return c.html(importPage(ctx, { done: { stored: result.stored, skipped: result.skipped.length } }));
  });

  return app;
}

/** The upload's name is only a label in the audit log: never a path (a client may send "../../etc/passwd"). */
function baseName(name: string): string {
  return (name.split(/[\\/]/).at(-1) ?? '').slice(0, 200);
}
