/**
 * The page shell every HTML page shares: language, NL Design System classes and stylesheets (the Utrecht component
 * CSS with the open "voorbeeld" example theme, then our own layout), a skip link, no inline script or style (the CSP
 * forbids them). Interpolations in hono's `html` template are escaped, so resident text can never become markup.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { assetUrl, type AssetName } from './assets.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageOptions {
  title: string;
  lang?: 'nl' | 'en';
  body: Html;
  /** Above <main>, e.g. the dashboard's header and navigation. */
  header?: Html;
  /** A municipality's theme stylesheet (dashboards/theme.ts). */
  themeHref?: string;
  /** Our own scripts from /assets, loaded deferred. */
  scripts?: AssetName[];
  /** Our own extra stylesheets from /assets, after site.css (the chat's). */
  styles?: AssetName[];
}

const skipLinkText = { nl: 'Naar de inhoud', en: 'Skip to content' } as const;

export function page(options: PageOptions): Html {
  const lang = options.lang ?? 'nl';
  return html`<!doctype html>
<html lang="${lang}" class="utrecht-root voorbeeld-theme">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${options.title} · Wijkstem</title>
    <link rel="stylesheet" href="${assetUrl('nlds-components.css')}">
    <link rel="stylesheet" href="${assetUrl('nlds-theme.css')}">
    <link rel="stylesheet" href="${assetUrl('site.css')}">
    ${(options.styles ?? []).map((name) => html`<link rel="stylesheet" href="${assetUrl(name)}">`)}
    ${options.themeHref ? html`<link rel="stylesheet" href="${options.themeHref}">` : ''}
    ${(options.scripts ?? []).map((name) => html`<script src="${assetUrl(name)}" defer></script>`)}
  </head>
  <body class="utrecht-body utrecht-page-body">
    <a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#main">${skipLinkText[lang]}</a>
    ${options.header ?? ''}
    <main id="main" class="utrecht-page utrecht-page-content" tabindex="-1">${options.body}</main>
  </body>
</html>`;
}
