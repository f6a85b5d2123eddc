/**
 * Static assets: an explicit allow-list of files (our own stylesheet and scripts, the NL Design System component CSS
 * and the open "voorbeeld" example theme from node_modules), read once at start-up. Each is served under its plain
 * name (short cache) and under a name with a content hash (cached for a year, immutable): pages link the hashed
 * name, so a new release is fetched at once. Only names in the list resolve: there is no path to traverse.
 *
 * Also serves the per-municipality theme stylesheet (dashboards/theme.ts), built from municipalities.settings: a
 * stylesheet rather than a style attribute, so the CSP keeps style-src 'self'.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { getMunicipality } from '../../db/repositories/municipalities.ts';
import { themeStylesheet } from '../../dashboards/theme.ts';

const require = createRequire(import.meta.url);

interface AssetSource {
  /** The name in the URL: /assets/NAME. */
  name: string;
  /** A file of ours, relative to this module, or a package file resolved through node_modules. */
  file: URL | { package: string };
  type: string;
}

const sources: AssetSource[] = [
  { name: 'site.css', file: new URL('../../dashboards/assets/site.css', import.meta.url), type: 'text/css; charset=utf-8' },
  { name: 'notes-draft.js', file: new URL('../../dashboards/assets/notes-draft.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  { name: 'chat.css', file: new URL('../../bot/assets/chat.css', import.meta.url), type: 'text/css; charset=utf-8' },
  { name: 'chat.js', file: new URL('../../bot/assets/chat.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
  { name: 'nlds-components.css', file: { package: '@utrecht/component-library-css/dist/index.css' }, type: 'text/css; charset=utf-8' },
  { name: 'nlds-theme.css', file: { package: '@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css' }, type: 'text/css; charset=utf-8' },
];

export type AssetName = 'site.css' | 'notes-draft.js' | 'chat.css' | 'chat.js' | 'nlds-components.css' | 'nlds-theme.css';

interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
  etag: string;
  immutable: boolean;
}

function load(source: AssetSource): { hashedName: string; asset: Omit<Asset, 'immutable'> } {
  const path = source.file instanceof URL ? source.file : require.resolve(source.file.package);
  const body = readFileSync(path);
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 10);
  const dot = source.name.lastIndexOf('.');
  const hashedName = `${source.name.slice(0, dot)}.${hash}${source.name.slice(dot)}`;
  return { hashedName, asset: { body, gzip: gzipSync(body), type: source.type, etag: `"${hash}"` } };
}

const assets = new Map<string, Asset>();
const urls = new Map<string, string>();
for (const source of sources) {
  const { hashedName, asset } = load(source);
  assets.set(source.name, { ...asset, immutable: false });
  assets.set(hashedName, { ...asset, immutable: true });
  urls.set(source.name, `/assets/${hashedName}`);
}

/** The URL a page links for an asset: its content-hashed name. */
export function assetUrl(name: AssetName): string {
  const url = urls.get(name);
  if (url === undefined) throw new Error(`no asset ${name}`);
  return url;
}

export function assetRoutes(deps: { db: Kysely<Database> }): Hono {
  const app = new Hono();

  app.get('/assets/theme/:file', async (c) => {
    const match = /^(GM\d{4})\.css$/.exec(c.req.param('file'));
    const municipality = match?.[1] ? await getMunicipality(deps.db, match[1]) : undefined;
    if (!municipality) return c.text('Niet gevonden.', 404);
    return c.body(themeStylesheet(municipality.settings), 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=300',
    });
  });

  app.get('/assets/:file', (c) => {
    const asset = assets.get(c.req.param('file'));
    if (!asset) return c.text('Niet gevonden.', 404);
    const headers: Record<string, string> = {
      'content-type': asset.type,
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
      etag: asset.etag,
      vary: 'accept-encoding',
    };
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, headers);
    const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    if (gzip) headers['content-encoding'] = 'gzip';
    return c.body(new Uint8Array(gzip ? asset.gzip : asset.body), 200, headers);
  });

  return app;
}
