/**
 * The thin slice end to end, in Debian's chromium: a resident types a message in /chat, it is stored and answered,
 * a worker takes it from the queue, and a logged-in admin sees it listed (redacted) on /dashboard. Once on the
 * embedded default (PGlite, in-process queue, one process) and once on PostgreSQL + Redis with separate web and
 * worker processes.
 */
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataDir, createPostgresDatabase } from '../support/databases.ts';
import { startWijkstemProcess, type AppProcess } from '../support/app-process.ts';
import { launchChromium } from '../support/browser.ts';
import { chromiumPath, postgresUrl, redisUrl, uniqueName } from '../support/services.ts';

let browser: Browser | undefined;

beforeAll(async () => {
  if (!chromiumPath) return;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function residentTellsAndAdminSees(webUrl: string, adminPassword: string): Promise<void> {
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext();
  const page = await context.newPage();
  const story = `Al drie weken schimmel in de badkamer en niemand komt. Bel me op 06-12345678 (${randomBytes(3).toString('hex')})`;

  await page.goto(`${webUrl}/chat`);
  await page.getByLabel('Jouw bericht').fill(story);
  await page.getByRole('button', { name: 'Verstuur' }).click();
  // Consent comes first (issue 3): nothing is kept beyond the message itself until the resident says yes.
  await page.getByRole('button', { name: 'Ja, dat is goed' }).click();
  const reply = page.locator('.chat-line--out', { hasText: 'code WS-' }).last();
  await reply.waitFor();
  const replyText = await reply.innerText();
  const reference = /WS-[2-9A-Z]{6}/.exec(replyText)?.[0];
  expect(reference, replyText).toBeDefined();
  // The resident sees their own words back, as text.
  expect(await page.locator('.chat-line--in').first().innerText()).toContain('schimmel in de badkamer');

  const staff = await browser.newContext();
  const dash = await staff.newPage();
  await dash.goto(`${webUrl}/dashboard`);
  expect(new URL(dash.url()).pathname).toBe('/dashboard/login');
  await dash.getByLabel('E-mailadres').fill('admin@zaanstad.demo');
  await dash.getByLabel('Wachtwoord').fill(adminPassword);
  await dash.getByRole('button', { name: 'Inloggen' }).click();
  await dash.waitForURL(`${webUrl}/dashboard`);

  // The worker analyses the signal asynchronously: reload until its row says so.
  const row = dash.locator('tr', { hasText: reference ?? 'none' });
  for (let i = 0; i < 100; i++) {
    if ((await row.count()) > 0 && (await row.innerText()).includes('geanalyseerd')) break;
    await new Promise((r) => setTimeout(r, 200));
    await dash.reload();
  }
  const rowText = await row.innerText();
  expect(rowText).toContain('geanalyseerd');
  expect(rowText).toContain('schimmel in de badkamer');
  expect(rowText).toContain('[telefoon]');
  expect(rowText).not.toContain('06-12345678');
  await context.close();
  await staff.close();
}

async function healthy(url: string): Promise<unknown> {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, body: await response.json() };
}

describe.skipIf(!chromiumPath)('thin slice on the embedded default', () => {
  let app: AppProcess | undefined;
  let data: ReturnType<typeof createDataDir> | undefined;

  beforeAll(async () => {
    data = createDataDir();
    app = await startWijkstemProcess({ DATA_DIR: data.dir });
  });
  afterAll(async () => {
    await app?.stop();
    data?.drop();
  });

  it('stores a chat message, runs the pipeline job and lists it on the dashboard', async () => {
    if (!app) throw new Error('app did not start');
    const password = (await app.waitForOutput(/password:\s+(\S+)/))[1] ?? '';
    expect(await healthy(app.url)).toEqual({ status: 200, body: { status: 'ok' } });
    await residentTellsAndAdminSees(app.url, password);
    expect(await app.stop()).toBe(0);
  });
});

describe.skipIf(!chromiumPath || !postgresUrl || !redisUrl)('thin slice on PostgreSQL + Redis, web and worker apart', () => {
  let web: AppProcess | undefined;
  let worker: AppProcess | undefined;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      WIJKSTEM_PSEUDONYM_KEY: randomBytes(32).toString('hex'),
      // A queue of its own, so parallel suites on the same Redis never share jobs.
      WIJKSTEM_QUEUE_PREFIX: uniqueName('wijkstem_slice'),
    };
    web = await startWijkstemProcess({ ...env, ROLE: 'web' });
    worker = await startWijkstemProcess({ ...env, ROLE: 'worker' });
  });
  afterAll(async () => {
    await web?.stop();
    await worker?.stop();
    await database?.drop();
  });

  it('the web process stores and lists, the worker process takes the job', async () => {
    if (!web || !worker) throw new Error('processes did not start');
    const password = (await web.waitForOutput(/password:\s+(\S+)/))[1] ?? '';
    expect(await healthy(web.url)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await healthy(worker.url)).toEqual({ status: 200, body: { status: 'ok' } });
    await residentTellsAndAdminSees(web.url, password);
    expect(await web.stop()).toBe(0);
    expect(await worker.stop()).toBe(0);
  });
});
