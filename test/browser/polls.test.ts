/**
 * Flash polls in Debian's chromium: a council member writes a poll on /dashboard/peilingen (first with a mistake:
 * the error summary links to the field), sees the audience preview, sends it, and reads the results after residents
 * answered in the web chat. axe-core finds no WCAG 2.1 A/AA violation on the list, the form with errors, the poll page
 * before and after sending, in Dutch and in English.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../support/services.ts';
import { expectNoAxeViolations, launchChromium, logIn, newPage } from '../support/browser.ts';
import { addCluster, addResident, password, startLoopApp, type LoopApp, type SeededResident } from '../support/loop.ts';
import { pollChoiceId } from '../../pipeline/loop/poll.ts';

describe.skipIf(!chromiumPath)('flash polls in chromium', () => {
  let loop: LoopApp | undefined;
  let server: ServerType | undefined;
  let browser: Browser | undefined;
  let url = '';
  const residents: SeededResident[] = [];

  beforeAll(async () => {
    loop = await startLoopApp('pglite', 'in-process');
    const cluster = await addCluster(loop.db, 'GM0479', 'bankjes in het park');
    for (let i = 0; i < 6; i++) residents.push(await addResident(loop.db, { clusterId: cluster, channel: 'web' }));
    await loop.db.updateTable('residents').set({ may_invite: true, age_band: '25_45' }).execute();
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

  it('a council member writes, previews and sends a poll and reads the results', async () => {
    if (!browser || !loop) throw new Error('not started');
    const { context, page } = await newPage(browser);
    await logIn(page, url, 'raad@zaanstad.test', password);
    await page.getByRole('link', { name: 'Peilingen' }).click();
    await page.waitForURL(`${url}/dashboard/peilingen`);
    await expectNoAxeViolations(page, 'the poll list and form');

    await page.getByLabel('Vraag', { exact: true }).fill('Zijn de nieuwe bankjes een goed idee?');
    await page.getByLabel('Antwoord 1', { exact: true }).fill('Ja');
    // A second question, open, followed by a third: only the last may be open.
    await page.getByLabel('Tekst van vraag 2').fill('Hoe vaak zit je buiten?');
    await page.getByRole('group', { name: 'Soort antwoord bij vraag 2' }).getByLabel('Open antwoord').check();
    await page.getByLabel('Tekst van vraag 3').fill('Wat kan beter?');
    await page.getByRole('button', { name: 'Peiling opslaan' }).click();
    await expect.poll(() => page.locator('#error-summary').textContent()).toContain('Geef 2 of 3 antwoorden.');
    expect(await page.locator('#error-summary').textContent()).toContain('Alleen de laatste vraag mag een open antwoord hebben.');
    expect(await page.locator('#error-summary a[href="#poll-kind2"]').count()).toBe(1);
    expect(await page.locator('#poll-kind2').getAttribute('aria-describedby')).toBe('poll-kind2-error');
    expect(await page.getByLabel('Vraag', { exact: true }).inputValue()).toBe('Zijn de nieuwe bankjes een goed idee?');
    expect(await page.getByLabel('Tekst van vraag 3').inputValue()).toBe('Wat kan beter?');
    await expectNoAxeViolations(page, 'the poll form with an error');

    await page.getByLabel('Antwoord 2', { exact: true }).fill('Nee');
    await page.getByRole('group', { name: 'Soort antwoord bij vraag 2' }).getByLabel('Kiezen uit 2 of 3 antwoorden (knoppen)').check();
    await page.getByLabel('Vraag 2, antwoord 1').fill('Vaak');
    await page.getByLabel('Vraag 2, antwoord 2').fill('Soms');
    await page.getByLabel('Tekst van vraag 3').fill('');
    await page.getByRole('button', { name: 'Peiling opslaan' }).click();
    await page.waitForURL(/\/dashboard\/peilingen\/[0-9a-f-]{36}$/);
    expect(await page.locator('#poll-reach').textContent()).toBe('6 bewoners kunnen de peiling nu krijgen.');
    await expectNoAxeViolations(page, 'a poll before sending');

    await page.getByRole('button', { name: 'Versturen' }).click();
    const pollId = /peilingen\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    await expect.poll(async () => (await loop?.db.selectFrom('polls').select('queued_at').where('id', '=', pollId).executeTakeFirst())?.queued_at ?? null).not.toBeNull();

    // Five residents answer "Ja", then the second question "Soms", in the web chat on their next visit.
    for (const r of residents.slice(0, 5)) {
      for (const choice of [pollChoiceId(pollId, 'a'), pollChoiceId(pollId, '1b')]) {
        const response = await loop.request('/chat?gemeente=GM0479', {
          method: 'POST',
          body: new URLSearchParams({ choice }),
          headers: { cookie: `wijkstem_chat=${r.channelId}`, origin: 'http://wijkstem.test', 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(response.status).toBeLessThan(400);
      }
    }
    await page.reload();
    expect(await page.locator('#poll-question-2').textContent()).toBe('Vraag 2: Hoe vaak zit je buiten?');
    expect(await page.locator('[data-figure="answered"]').textContent()).toBe('5');
    expect(await page.locator('#poll-options-result').innerText()).toContain('Ja\t5');
    expect(await page.locator('#poll-options-result-2').innerText()).toContain('Soms\t5');
    expect(await page.locator('#poll-options-result-2').innerText()).toContain('Vaak\t0');
    await expectNoAxeViolations(page, 'a poll with results');
    await page.goto(`${page.url()}?lang=en`);
    expect(await page.locator('#results-heading').textContent()).toBe('Results');
    await expectNoAxeViolations(page, 'a poll with results in English');
    await context.close();
  });
});
