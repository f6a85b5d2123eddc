/**
 * Temporary tables in Debian's chromium: a council member opens the invitation form from the polls page (first with a
 * mistake: the error summary names it), saves and sends the invitation, and after residents answered in the web chat
 * reads the organiser's page and the audited contact view. axe-core finds no WCAG 2.1 A/AA violation on the form with
 * errors, the invitation before sending, the organiser's page and the contact view, in Dutch and in English.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../support/services.ts';
import { expectNoAxeViolations, launchChromium, logIn, newPage } from '../support/browser.ts';
import { addCluster, addResident, password, startLoopApp, type LoopApp, type SeededResident } from '../support/loop.ts';
import { pollChoiceId } from '../../pipeline/loop/poll.ts';

describe.skipIf(!chromiumPath)('temporary tables in chromium', () => {
  let loop: LoopApp | undefined;
  let server: ServerType | undefined;
  let browser: Browser | undefined;
  let url = '';
  const residents: SeededResident[] = [];

  beforeAll(async () => {
    loop = await startLoopApp('pglite', 'in-process');
    const cluster = await addCluster(loop.db, 'GM0479', 'wachtlijst huishoudelijke hulp');
    for (let i = 0; i < 6; i++) residents.push(await addResident(loop.db, { clusterId: cluster, channel: 'web' }));
    await loop.db.updateTable('residents').set({ may_invite: true }).execute();
    const fetch = loop.app.fetch;
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await loop?.close();
  });

  it('a council member invites a cluster, and sees who comes and how to reach them', async () => {
    if (!browser || !loop) throw new Error('not started');
    const { context, page } = await newPage(browser);
    await logIn(page, url, 'raad@zaanstad.test', password);
    await page.goto(`${url}/dashboard/peilingen`);
    await page.getByRole('link', { name: 'Bewoners van een cluster uitnodigen voor een tijdelijke tafel' }).click();
    await page.waitForURL(`${url}/dashboard/peilingen/uitnodiging`);

    await page.getByLabel('Wanneer').fill('dinsdag 8 december, 19.30 uur');
    await page.getByLabel('Waar').fill('Wijkcentrum De Kolk');
    // Only spaces pass the browser's own required check; the server refuses them.
    await page.getByLabel('Titel').fill('   ');
    await page.getByRole('button', { name: 'Uitnodiging opslaan' }).click();
    await expect.poll(() => page.locator('#error-summary').textContent()).toContain('Vul een titel in');
    await expectNoAxeViolations(page, 'the invitation form with an error');

    await page.getByLabel('Titel').fill('Tafel huishoudelijke hulp');
    await page.getByRole('button', { name: 'Uitnodiging opslaan' }).click();
    await page.waitForURL(/\/dashboard\/peilingen\/[0-9a-f-]{36}$/);
    expect(await page.locator('#poll-reach').textContent()).toBe('6 bewoners kunnen de peiling nu krijgen.');
    await expectNoAxeViolations(page, 'an invitation before sending');
    const pollId = /peilingen\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    await page.getByRole('button', { name: 'Versturen' }).click();
    await expect.poll(async () => (await loop?.db.selectFrom('polls').select('queued_at').where('id', '=', pollId).executeTakeFirst())?.queued_at ?? null).not.toBeNull();

    // Five residents accept in the web chat, three of them consenting to pass on contact; one declines.
    for (const [i, r] of residents.entries()) {
      const option = i < 3 ? 'a' : i < 5 ? 'b' : 'c';
      const response = await loop.request('/chat?gemeente=GM0479', {
        method: 'POST',
        body: new URLSearchParams({ choice: pollChoiceId(pollId, option) }),
        headers: { cookie: `wijkstem_chat=${r.channelId}`, origin: 'http://wijkstem.test', 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.status).toBeLessThan(400);
    }
    await page.goto(`${url}/dashboard/peilingen/${pollId}`);
    await page.getByRole('link', { name: 'Aantallen en contact (tijdelijke tafel)' }).click();
    await page.waitForURL(`${url}/dashboard/peilingen/${pollId}/tafel`);
    expect(await page.locator('[data-figure="accepted"]').textContent()).toBe('5');
    await expectNoAxeViolations(page, 'the organiser page');
    await page.getByRole('link', { name: 'Nummers bekijken' }).click();
    await page.waitForURL(`${url}/dashboard/peilingen/${pollId}/tafel/contact`);
    expect(await page.locator('#table-web-chat').textContent()).toContain('3 bewoner(s) via de webchat');
    await expectNoAxeViolations(page, 'the contact view');
    await page.goto(`${url}/dashboard/peilingen/${pollId}/tafel/contact?lang=en`);
    expect(await page.locator('#table-web-chat').textContent()).toContain('can be reached in the chat only');
    await expectNoAxeViolations(page, 'the contact view in English');
    await context.close();
  });
});
