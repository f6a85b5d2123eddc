/** Who is heard (/dashboard/wie): participation per group against the gazetteer's population. Every role. */
import { Hono } from 'hono';
import { whoIsHeard } from '../../db/repositories/dashboard-stats.ts';
import { whoPage } from '../views/who.ts';
import { userScope, viewContext, viewFilter, type DashboardEnv, type PageDeps } from './context.ts';

export function whoRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();
  app.get('/', async (c) => {
    const ctx = await viewContext(c, db);
    const scope = await userScope(db, c.get('user'));
    const { filter, error } = viewFilter(c, ctx.t, scope.wijken);
    if (error) return c.html(whoPage(ctx, { ...scope, filter, filterError: error }), 400);
    const who = await whoIsHeard(db, scope.codes, filter);
    return c.html(whoPage(ctx, { ...scope, filter, who }));
  });
  return app;
}
