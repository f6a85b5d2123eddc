/**
 * The dashboard in Debian's chromium, on the real process (`npm start`'s embedded default): an administrator adds
 * a team member through Beheer; the team member, on a 390 px wide phone, adds a street note with two signals
 * (the second field added without JavaScript's help), sees the references and finds them in the signal list; the
 * draft survives leaving the page; the import preview names the bad line; axe-core finds no WCAG 2.1 A/AA
 * violation on the login page, the signal list, the notes form, the import page and Beheer.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWijkstemProcess, type AppProcess } from '../support/app-process.ts';
import { expectNoAxeViolations, expectNoSidewaysScroll, launchChromium } from '../support/browser.ts';
import { createDataDir } from '../support/databases.ts';
import { chromiumPath } from '../support/services.ts';

const teamEmail = 'wijkteam@zaanstad.demo';
const teamPassword = 'een wachtwoord voor de straat';

describe.skipIf(!chromiumPath)('dashboard in chromium', () => {
  let browser: Browser | undefined;
  let app: AppProcess | undefined;
  let data: ReturnType<typeof createDataDir> | undefined;
  let adminPassword = '';

  beforeAll(async () => {
    browser = await launchChromium();
    data = createDataDir();
    app = await startWijkstemProcess({ DATA_DIR: data.dir });
    adminPassword = (await app.waitForOutput(/password:\s+(\S+)/))[1] ?? '';
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    data?.drop();
  });

  async function logIn(page: Page, email: string, password: string): Promise<void> {
    if (!app) throw new Error('no app');
    await page.goto(`${app.url}/dashboard/login`);
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${app.url}/dashboard`);
  }

  it('an administrator adds a team member in Beheer', async () => {
    if (!browser || !app) throw new Error('not started');
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, 'admin@zaanstad.demo', adminPassword);
    await page.getByRole('link', { name: 'Beheer' }).click();
    await page.waitForURL(`${app.url}/dashboard/beheer`);
    await expectNoAxeViolations(page, 'Beheer');
    await page.getByLabel('E-mailadres').fill(teamEmail);
    // exact: each user's row has its own role select too ("Nieuwe rol voor …").
    await page.getByLabel('Rol', { exact: true }).selectOption('team');
    await page.getByLabel('Wachtwoord').fill(teamPassword);
    await page.getByRole('button', { name: 'Toevoegen' }).click();
    await expect.poll(() => page.locator('#user-added').textContent()).toContain(`${teamEmail} is toegevoegd.`);
    expect(await page.locator('table.users').innerText()).toContain(teamEmail);
    await context.close();
  });

  it('a team member on a phone adds a street note with two signals and sees them listed', async () => {
    if (!browser || !app) throw new Error('not started');
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') cspErrors.push(message.text());
    });

    await page.goto(`${app.url}/dashboard/login`);
    await expectNoAxeViolations(page, 'the login page');
    await expectNoSidewaysScroll(page, 390, 'the login page');
    // The skip link comes first in the focus order and is visible when focused.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Naar de inhoud');
    await logIn(page, teamEmail, teamPassword);

    await page.getByRole('link', { name: 'Straatnotities' }).click();
    await page.waitForURL(`${app.url}/dashboard/notities`);
    await expectNoAxeViolations(page, 'the notes form');
    await expectNoSidewaysScroll(page, 390, 'the notes form');

    // A draft survives leaving the page (localStorage, from the external script).
    await page.getByLabel('Signaal 1').fill('Concept: de hangplek bij het winkelcentrum');
    await page.goto(`${app.url}/dashboard`);
    await page.goto(`${app.url}/dashboard/notities`);
    await expect.poll(() => page.getByLabel('Signaal 1').inputValue()).toBe('Concept: de hangplek bij het winkelcentrum');
    expect(await page.locator('#draft-status').innerText()).toBe('Je concept is teruggezet.');

    await page.getByLabel('Wijk').selectOption({ label: 'Rosmolenwijk' });
    await page.getByLabel('Buurt, straat of plek').fill('Bij het winkelcentrum');
    await page.getByLabel('Leeftijd').selectOption('15_25');
    await page.getByLabel('Signaal 1').fill('Jongeren hebben geen plek om na school samen te komen');
    await page.getByRole('button', { name: 'Nog een signaal' }).click();
    await page.getByLabel('Signaal 2').waitFor();
    expect(await page.getByLabel('Signaal 1').inputValue()).toBe('Jongeren hebben geen plek om na school samen te komen');
    await page.getByLabel('Signaal 2').fill('De moeder van een van hen wacht al maanden op schuldhulp');
    await page.getByRole('button', { name: 'Opslaan' }).click();

    await page.locator('#note-saved').waitFor();
    expect(await page.locator('#note-saved').innerText()).toBe('De 2 signalen zijn opgeslagen.');
    const references = await page.locator('.note-references li').allInnerTexts();
    expect(references).toHaveLength(2);
    for (const r of references) expect(r).toMatch(/^WS-[2-9A-Z]{6}$/);
    // Saved: the draft is gone, the next note starts empty.
    expect(await page.evaluate('Object.keys(localStorage).length')).toBe(0);
    expect(await page.getByLabel('Signaal 1').inputValue()).toBe('');

    await page.getByRole('link', { name: 'Bekijk de straatgesprekken in de lijst met signalen' }).click();
    await page.waitForURL(`${app.url}/dashboard?bron=street`);
    for (const reference of references) {
      const row = page.locator('tr', { hasText: reference });
      for (let i = 0; i < 50 && !(await row.innerText()).includes('ontvangen') && !(await row.innerText()).includes('geanalyseerd'); i++) {
        await new Promise((r) => setTimeout(r, 200));
        await page.reload();
      }
      expect(await row.innerText()).toContain('straatgesprek');
    }
    expect(await page.locator('table.signals').innerText()).toContain('Jongeren hebben geen plek om na school samen te komen');
    await expectNoAxeViolations(page, 'the signal list');
    await expectNoSidewaysScroll(page, 390, 'the signal list');

    // The import page: a preview that names the bad line, and nothing stored.
    await page.getByRole('link', { name: 'Importeren' }).click();
    await page.waitForURL(`${app.url}/dashboard/importeren`);
    await expectNoAxeViolations(page, 'the import page');
    await expectNoSidewaysScroll(page, 390, 'the import page');
    await page.getByLabel('Of plak de regels hier').fill('id,text,source\nr-1,Het gemeentehuis is slecht bereikbaar,street\nr-2,,street\n');
    await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
    await page.locator('.import-errors').waitFor();
    expect(await page.locator('.import-errors').innerText()).toBe('Regel 3: text is leeg');
    await expectNoAxeViolations(page, 'the import preview');

    // A good file: preview, confirm, stored.
    await page.getByLabel('Bestand (.csv of .jsonl)').setInputFiles({
      name: 'notities.jsonl',
      mimeType: 'application/jsonl',
      buffer: Buffer.from('{"id": "r-1", "text": "Het gemeentehuis is slecht bereikbaar", "source": "street"}\n{"id": "r-2", "text": "Te weinig\\nbankjes"}\n'),
    });
    await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
    await page.getByRole('button', { name: 'Alles opslaan (2)' }).click();
    await page.locator('#import-result').waitFor();
    expect(await page.locator('#import-result').innerText()).toBe('2 signalen opgeslagen.');

    // In English.
    await page.getByRole('link', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Import signals' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    expect(cspErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await context.close();
  });
});
