/**
 * The map in Debian's chromium: first the tile map (no boundaries imported), then, after importing the demo
 * fixture's wijk boundaries, the choropleth with its legend and table; at a phone's 390 px and at desktop width,
 * with axe-core finding no WCAG 2.1 A/AA violation, nothing scrolling sideways on the phone, and every colour
 * carried by text as well. In-process on PGlite.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBoundaries } from '../../db/gazetteer/boundaries.ts';
import { importBoundaries } from '../../db/gazetteer/boundaries-import.ts';
import { expectNoAxeViolations, expectNoSidewaysScroll, launchChromium, logIn, newPage, phone, serveInProcess } from '../support/browser.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';
import { seedClusters, seedPassword, seedUsers } from '../support/dashboard-seed.ts';
import { chromiumPath } from '../support/services.ts';

const fixture = readFileSync(new URL('../fixtures/zaanstad-wijken.geojson', import.meta.url), 'utf8');
const views = [
  ['390 px', phone],
  ['1280 px', { viewport: { width: 1280, height: 900 } }],
] as const;

describe.skipIf(!chromiumPath)('map in chromium', () => {
  let browser: Browser | undefined;
  let database: TestDatabase | undefined;
  let server: { url: string; stop: () => Promise<void> } | undefined;
  let url = '';

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await seedClusters(database.db);
    server = await serveInProcess(database.db);
    url = server.url;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  it('without boundaries: tiles with names and figures as text pass axe, on a phone and a desktop', async () => {
    if (!browser) throw new Error('not started');
    for (const [name, options] of views) {
      const { context, page } = await newPage(browser, options);
      await logIn(page, url, seedUsers.council, seedPassword);
      await page.getByRole('link', { name: 'Kaart' }).click();
      await page.getByRole('heading', { name: 'Kaart van Zaanstad', level: 1 }).waitFor();
      expect(await page.locator('li.map-tile').count()).toBe(15);
      const centrum = await page.locator('li.map-tile', { hasText: 'Zaandam-Centrum' }).innerText();
      expect(centrum).toMatch(/\d+,\d per 1\.000/);
      expect(centrum).toContain('Signalen: 6');
      expect(await page.locator('li.map-tile', { hasText: 'Zaandam-West' }).innerText()).toContain('minder dan 5 inwoners: niet getoond');
      await expectNoAxeViolations(page, `the tile map at ${name}`);
      if (options === phone) await expectNoSidewaysScroll(page, 390, 'the tile map');
      await context.close();
    }
  });

  it('with boundaries: a choropleth with a legend and a table pass axe; in English too', async () => {
    if (!browser || !database) throw new Error('not started');
    await importBoundaries(database.db, parseBoundaries(fixture), { fileName: 'zaanstad-wijken.geojson', actor: 'test' });
    for (const [name, options] of views) {
      const { context, page } = await newPage(browser, options);
      await logIn(page, url, seedUsers.council, seedPassword);
      await page.goto(`${url}/dashboard/kaart`);
      const map = page.getByRole('img', { name: /Kaart van de wijken: signalen per 1\.000 inwoners/ });
      expect(await map.count()).toBe(1);
      expect(await page.locator('path.map-area').count()).toBe(15);
      const box = await map.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(250);
      expect(await page.locator('.map-legend').innerText()).toContain('heel hoog');
      expect(await page.getByRole('table', { name: 'Wijken: signalen per 1.000 inwoners' }).count()).toBe(1);
      await expectNoAxeViolations(page, `the choropleth at ${name}`);
      if (options === phone) await expectNoSidewaysScroll(page, 390, 'the choropleth');
      await page.goto(`${url}/dashboard/kaart?lang=en`);
      await page.getByRole('heading', { name: 'Map of Zaanstad', level: 1 }).waitFor();
      await expectNoAxeViolations(page, `the English choropleth at ${name}`);
      await page.goto(`${url}/dashboard/kaart?lang=nl`);
      await context.close();
    }
  });
});
