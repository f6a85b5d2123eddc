/**
 * The page shell every HTML page shares: language, skip link, one stylesheet, no inline script (the CSP forbids it).
 * Interpolations in hono's `html` template are escaped, so resident text can never become markup.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export function page(options: { title: string; lang?: 'nl' | 'en'; body: Html }): Html {
  return html`<!doctype html>
<html lang="${options.lang ?? 'nl'}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${options.title} · Wijkstem</title>
    <link rel="stylesheet" href="/assets/site.css">
  </head>
  <body>
    <a class="skip-link" href="#main">Naar de inhoud</a>
    <main id="main">${options.body}</main>
  </body>
</html>`;
}
