/**
 * The agenda in Debian's chromium: a council member puts a cluster on the agenda from the agenda page, moves it on,
 * reports it back (a web chat resident then sees the message in the chat), and an administrator turns on the public
 * summary. axe-core finds no WCAG 2.1 A/AA violation on the list, the form with errors, the item page with its
 * history and delivery figures, and the public page in Dutch and English.
 */
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../support/services.ts';
import { addCluster, addResident, password, startLoopApp, type LoopApp, type SeededResident } from '../support/loop.ts';

async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, `axe on ${what}`).toEqual([]);
  expect(results.passes.length, `axe passes on ${what}`).toBeGreaterThan(5);
}

describe.skipIf(!chromiumPath)('agenda in chromium', () => {
  let loop: LoopApp | undefined;
  let server: ServerType | undefined;
  let browser: Browser | undefined;
  let url = '';
  let web: SeededResident | undefined;

  beforeAll(async () => {
    loop = await startLoopApp('pglite', 'in-process');
    const cluster = await addCluster(loop.db, 'GM0479', 'wachtlijst huishoudelijke hulp');
    web = await addResident(loop.db, { clusterId: cluster, channel: 'web' });
    await addResident(loop.db, { clusterId: cluster, channel: 'whatsapp', hoursSinceLastMessage: 3 });
    const fetch = loop.app.fetch;
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await loop?.close();
  });

  async function logIn(page: Page, email: string): Promise<void> {
    await page.goto(`${url}/dashboard/login`);
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${url}/dashboard`);
  }

  it('a council member puts a cluster on the agenda, moves it on and reports back', async () => {
    if (!browser || !loop || !web) throw new Error('not started');
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, 'raad@zaanstad.test');
    await page.getByRole('link', { name: 'Agenda' }).click();
    await page.waitForURL(`${url}/dashboard/agenda`);
    await expectNoAxeViolations(page, 'the agenda list');

    // Without a cluster: the error summary links to the clusters, and the title typed stays.
    await page.getByLabel('Titel').fill('Wachtlijst huishoudelijke hulp');
    await page.getByRole('button', { name: 'Op de agenda zetten' }).click();
    await expect.poll(() => page.locator('#error-summary').textContent()).toContain('Kies ten minste één cluster');
    expect(await page.getByLabel('Titel').inputValue()).toBe('Wachtlijst huishoudelijke hulp');
    await expectNoAxeViolations(page, 'the agenda form with an error');

    await page.getByLabel(/wachtlijst huishoudelijke hulp/).check();
    await page.getByRole('button', { name: 'Op de agenda zetten' }).click();
    await page.waitForURL(/\/dashboard\/agenda\/[0-9a-f-]{36}\?|\/dashboard\/agenda\/[0-9a-f-]{36}$/);
    expect(await page.locator('#item-status').textContent()).toBe('Nieuw');
    await expectNoAxeViolations(page, 'a new agenda item');

    await page.getByLabel('Nieuwe status').selectOption('on_agenda');
    await page.getByRole('button', { name: 'Status opslaan' }).click();
    await expect.poll(() => page.locator('#item-status').textContent()).toBe('Op de agenda');

    await page.getByLabel('Nieuwe status').selectOption('reported_back');
    await page.getByLabel('Besluit').fill('Vanaf maart twee extra hulpen.');
    await page.getByLabel('Bericht aan inwoners (Nederlands)').fill('Vanaf maart zijn er twee extra huishoudelijke hulpen.');
    await page.getByRole('button', { name: 'Status opslaan' }).click();
    await expect.poll(() => page.locator('#item-status').textContent()).toBe('Teruggekoppeld');
    expect(await page.locator('#history').innerText()).toContain('raad@zaanstad.test');
    // The fan-out runs as a job; the page shows the two residents once it has.
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('#delivery-total').textContent();
      })
      .toContain('2 inwoners');
    await expectNoAxeViolations(page, 'a reported-back agenda item');
    await context.close();

    // The web chat resident sees it on their next visit.
    const resident = await browser.newContext();
    await resident.addCookies([{ name: 'wijkstem_chat', value: web.channelId, url: `${url}/chat` }]);
    const chat = await resident.newPage();
    await chat.goto(`${url}/chat?gemeente=GM0479`);
    expect(await chat.locator('body').innerText()).toContain('Vanaf maart zijn er twee extra huishoudelijke hulpen.');
    await resident.close();
  });

  it('an administrator turns on the public summary, which is accessible in Dutch and English', async () => {
    if (!browser) throw new Error('not started');
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, 'admin@zaanstad.test');
    await page.goto(`${url}/dashboard/agenda`);
    await page.getByRole('button', { name: 'Openbare samenvatting aanzetten' }).click();
    await expect.poll(() => page.locator('#public-state').textContent()).toContain('/publiek/GM0479');
    await expectNoAxeViolations(page, 'the agenda list of an administrator');
    await context.close();

    const visitor = await browser.newContext();
    const publicPage = await visitor.newPage();
    await publicPage.goto(`${url}/publiek/GM0479`);
    expect(await publicPage.locator('main').innerText()).toContain('Vanaf maart twee extra hulpen.');
    await expectNoAxeViolations(publicPage, 'the public summary');
    await publicPage.getByRole('link', { name: 'English' }).click();
    await publicPage.waitForURL(`${url}/publiek/GM0479?lang=en`);
    expect(await publicPage.locator('html').getAttribute('lang')).toBe('en');
    await expectNoAxeViolations(publicPage, 'the public summary in English');
    await visitor.close();
  });
});
