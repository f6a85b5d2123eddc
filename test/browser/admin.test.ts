/**
 * The administration pages in Debian's chromium: users and roles, area import and life domains. axe-core (WCAG 2.1
 * A and AA) finds nothing on each, in Dutch and English, with errors on the page, and on a 390 px phone nothing
 * scrolls sideways; a user added from the form gets a password shown once, a gazetteer uploaded from a file goes
 * through its preview, a domain added from the keyboard is listed.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, expectNoSidewaysScroll, logIn, newPage, openBrowserDashboard, phone, type BrowserDashboard } from '../support/browser.ts';
import { demoGazetteerPath } from '../../db/demo/index.ts';
import { chromiumPath } from '../support/services.ts';

let browser: Browser | undefined;
let served: { url: string; stop: () => Promise<void> } | undefined;
let dashboard: BrowserDashboard | undefined;
const password = 'correct horse battery staple';

beforeAll(async () => {
  if (!chromiumPath) return;
  dashboard = await openBrowserDashboard([['admin@zaanstad.test', 'admin'], ['team@zaanstad.test', 'team']], password);
  ({ browser, served } = dashboard);
});

afterAll(async () => {
  await dashboard?.close();
});

describe.skipIf(!chromiumPath)('administration pages in chromium', { timeout: 180_000 }, () => {
  it('users and roles: no axe violations, with an error, after adding a user and changing a role, in English', async () => {
    if (!browser || !served) throw new Error('not started');
    const { context, page } = await newPage(browser);
    await logIn(page, served.url, 'admin@zaanstad.test', password);
    await page.goto(`${served.url}/dashboard/beheer`);
    await expectNoAxeViolations(page, 'the users page');

    await page.locator('#user-email').fill('geen-adres');
    await page.locator('form.user-form button[type=submit]').click();
    await page.locator('#error-summary').waitFor();
    expect(await page.locator('#user-email').getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(page, 'the users page with an error');

    await page.locator('#user-email').fill('nieuw@zaanstad.test');
    await page.locator('#user-role').selectOption('council');
    await page.locator('#user-email').press('Enter');
    await page.locator('#user-added').waitFor();
    expect(await page.locator('.temporary-password').innerText()).toMatch(/^[A-Za-z0-9_-]{20}$/);
    await expectNoAxeViolations(page, 'the users page with a password shown once');

    const row = page.locator('tr', { hasText: 'team@zaanstad.test' });
    await row.locator('select[name=role]').selectOption('council');
    await row.locator('form.user-role-form button').click();
    await page.locator('#user-role-changed').waitFor();
    expect(await page.locator('#user-role-changed').innerText()).toContain('team@zaanstad.test heeft nu de rol raad.');

    await page.goto(`${served.url}/dashboard/beheer?lang=en`);
    expect(await page.locator('h1').innerText()).toBe('Users');
    await expectNoAxeViolations(page, 'the users page in English');
    await context.close();
  });

  it('area import: no axe violations on the form, the preview with errors and the result', async () => {
    if (!browser || !served) throw new Error('not started');
    const { context, page } = await newPage(browser);
    await logIn(page, served.url, 'admin@zaanstad.test', password);
    await page.goto(`${served.url}/dashboard/beheer`);
    await page.locator('#areas-link').click();
    await page.waitForURL(/\/dashboard\/beheer\/gebieden$/);
    await expectNoAxeViolations(page, 'the area import page');

    const header = 'gemeente_code,gemeente,wijk_code,wijk,buurt_code,buurt,postcodes,aliases,inwoners,inwoners_0_15,inwoners_15_25,inwoners_25_45,inwoners_45_65,inwoners_65_plus';
    await page.locator('#areas-file').setInputFiles({ name: 'velsen.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\nGM0453,Velsen,WK045301,IJmuiden,BU04530101,Zeewijk,1971,,100,,,,,\n`) });
    await page.locator('form.import-form button[type=submit]').click();
    await page.locator('.import-errors').waitFor();
    expect(await page.locator('.import-errors').innerText()).toContain('GM0453');
    await expectNoAxeViolations(page, 'the area import preview with errors');

    await page.locator('#areas-file').setInputFiles(demoGazetteerPath);
    await page.locator('form.import-form button[type=submit]').click();
    await page.locator('#areas-summary').waitFor();
    await expectNoAxeViolations(page, 'the area import preview');
    await page.locator('.import-preview button[type=submit]').click();
    await page.locator('#areas-result').waitFor();
    expect(await page.locator('#areas-result').innerText()).toContain('Gazetteer geïmporteerd');
    await expectNoAxeViolations(page, 'the area import result');
    await context.close();
  });

  it('life domains: no axe violations, with an error, after adding a domain from the keyboard, in English, on a phone', async () => {
    if (!browser || !served) throw new Error('not started');
    const { context, page } = await newPage(browser);
    await logIn(page, served.url, 'admin@zaanstad.test', password);
    await page.goto(`${served.url}/dashboard/beheer`);
    await page.locator('#taxonomy-link').click();
    await page.waitForURL(/\/dashboard\/beheer\/taxonomie$/);
    await expectNoAxeViolations(page, 'the life domains page');

    await page.locator('#domain-key').fill('Fout!');
    await page.locator('#domain-nl').fill('Fout');
    await page.locator('#domain-nl').press('Enter');
    await page.locator('#error-summary').waitFor();
    expect(await page.locator('#domain-key').getAttribute('aria-invalid')).toBe('true');
    await expectNoAxeViolations(page, 'the life domains page with an error');

    await page.locator('#domain-key').fill('armoede_kinderen');
    await page.locator('#domain-nl').fill('Armoede bij kinderen');
    await page.locator('#domain-nl').press('Enter');
    await page.locator('#taxonomy-done').waitFor();
    expect(await page.locator('#domain-armoede_kinderen').innerText()).toContain('alleen bij beoordelen');
    await expectNoAxeViolations(page, 'the life domains page after adding one');

    await page.goto(`${served.url}/dashboard/beheer/taxonomie?lang=en`);
    expect(await page.locator('h1').innerText()).toBe('Life domains');
    await expectNoAxeViolations(page, 'the life domains page in English');
    await context.close();

    const mobile = await newPage(browser, phone);
    await logIn(mobile.page, served.url, 'admin@zaanstad.test', password);
    for (const path of ['/dashboard/beheer', '/dashboard/beheer/gebieden', '/dashboard/beheer/taxonomie']) {
      await mobile.page.goto(`${served.url}${path}?lang=nl`);
      await expectNoSidewaysScroll(mobile.page, 390, `${path} on a phone`);
      await expectNoAxeViolations(mobile.page, `${path} on a phone`);
    }
    await mobile.context.close();
  });
});
