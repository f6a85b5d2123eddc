/**
 * Chromium for the browser suites, in one place: Debian's chromium through playwright-core (no browser download)
 * with the flags every suite uses, a fresh context and page, the axe-core check for WCAG 2.1 A and AA, and the app
 * served in-process for suites that seed their own database.
 */
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { serve, type ServerType } from '@hono/node-server';
import type { Kysely } from 'kysely';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createHttpApp } from '../../app/http/app.ts';
import { createLogger } from '../../app/logger.ts';
import type { Database, UserRole } from '../../db/database.ts';
import { hashPassword } from '../../dashboards/auth/password.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { importGazetteerFile } from '../../db/gazetteer/import.ts';
import { createUser } from '../../db/repositories/users.ts';
import { createInProcessQueue } from '../../pipeline/queue/index.ts';
import { openTestDatabase, type TestDatabase } from './databases.ts';
import { chromiumPath } from './services.ts';

/** No sandbox (containers run as root), no GPU, and nothing that phones home or updates during a test. */
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error('no chromium: set CHROMIUM_PATH or apt-get install chromium');
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/** A phone's screen, for the "usable on a phone" checks. */
export const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** A fresh context (its own cookies and storage) and a page in it. */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  return { context, page };
}

/** axe-core with the WCAG 2.1 A and AA rules finds nothing, and really ran (it passed some rules). */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, `axe on ${what}`).toEqual([]);
  expect(results.passes.length, `axe passes on ${what}`).toBeGreaterThan(5);
}

/** The page does not scroll sideways at this width (evaluated in the page: the tests have no DOM types). */
export async function expectNoSidewaysScroll(page: Page, width: number, what: string): Promise<void> {
  const scroll = Number(await page.evaluate('document.documentElement.scrollWidth'));
  expect(scroll, `${what} scrolls sideways`).toBeLessThanOrEqual(width);
}

/** The whole HTTP app served in this process on a free port, for a browser to open; stop() closes it. */
export async function serveInProcess(db: Kysely<Database>): Promise<{ url: string; stop: () => Promise<void> }> {
  const queue = createInProcessQueue({ retry: { attempts: 1, backoffMs: 10 } });
  const app = createHttpApp({ db, queue, logger: createLogger('silent'), pseudonymKey: 'k'.repeat(32), defaultMunicipality: 'GM0479', secure: false, serveApp: true, health: () => queue.health() });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close();
    },
  };
}

/** Signs in on the dashboard's login page and waits for the overview. */
export async function logIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(`${url}/dashboard/login`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${url}/dashboard`);
}

export interface BrowserDashboard {
  browser: Browser;
  database: TestDatabase;
  served: { url: string; stop: () => Promise<void> };
  close(): Promise<void>;
}

/**
 * Chromium and the app served in-process on a fresh PGlite database with the demo gazetteer (Zaanstad, GM0479) and
 * these users, each with `password`; `seed` adds what a suite needs before the first page opens.
 */
export async function openBrowserDashboard(
  users: readonly (readonly [email: string, role: UserRole])[],
  password: string,
  seed?: (db: Kysely<Database>) => Promise<void>,
): Promise<BrowserDashboard> {
  const browser = await launchChromium();
  const database = await openTestDatabase('pglite');
  await importGazetteerFile(database.db, demoGazetteerPath, { demo: true });
  const passwordHash = await hashPassword(password);
  for (const [email, role] of users) await createUser(database.db, { email, passwordHash, role, municipalityCode: 'GM0479' });
  await seed?.(database.db);
  const served = await serveInProcess(database.db);
  return {
    browser,
    database,
    served,
    async close() {
      await browser.close();
      await served.stop();
      await database.drop();
    },
  };
}
