/**
 * The map (/dashboard/kaart): every role, the user's municipalities (a region user: the region's), under the
 * dashboard filters. `niveau=wijk` (default) or `niveau=buurt` (only when buurt boundaries are imported). Without
 * imported boundaries the wijken are shown as tiles. No signal text is shown, so nothing is audited as a view.
 */
import { Hono } from 'hono';
import { areaFigures, boundaryLevelsOf, listBoundaries } from '../../db/repositories/boundaries.ts';
import type { BoundaryLevel, MultiPolygonCoordinates } from '../../db/database.ts';
import { clusterTexts } from '../views/clusters-texts.ts';
import { mapPage } from '../views/map.ts';
import { rateAreas } from '../views/map-svg.ts';
import { userScope, viewContext, viewFilter, type DashboardEnv, type PageDeps } from './context.ts';

export function mapRoutes(deps: PageDeps): Hono<DashboardEnv> {
  const { db } = deps;
  const app = new Hono<DashboardEnv>();
  app.get('/', async (c) => {
    const ctx = await viewContext(c, db);
    const scope = await userScope(db, c.get('user'));
    const { filter, error: filterError } = viewFilter(c, ctx.t, scope.wijken);
    const levels = await boundaryLevelsOf(db, scope.codes);
    const asked = c.req.query('niveau');
    const empty = { ...scope, filter, levels, areas: [], classes: { bounds: [] }, outlines: new Map<string, MultiPolygonCoordinates>() };
    if (filterError) return c.html(mapPage(ctx, { ...empty, level: 'wijk', filterError }), 400);
    if (asked !== undefined && asked !== 'wijk' && !(asked === 'buurt' && levels.includes('buurt'))) {
      return c.html(mapPage(ctx, { ...empty, level: 'wijk', filterError: clusterTexts(ctx.lang).map.badLevel }), 400);
    }
    const level: BoundaryLevel = asked === 'buurt' ? 'buurt' : 'wijk';
    const { areas, classes } = rateAreas(await areaFigures(db, scope.codes, filter, level));
    const outlines = new Map(levels.includes(level) ? (await listBoundaries(db, scope.codes, level)).map((b) => [b.code, b.geometry] as const) : []);
    return c.html(mapPage(ctx, { ...scope, filter, level, levels, areas, classes, outlines }));
  });
  return app;
}
