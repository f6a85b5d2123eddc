/**
 * Clusters in Debian's chromium: the cluster list, a cluster page and its printable report at a phone's 390 px and
 * at desktop width with axe-core finding no WCAG 2.1 A/AA violation and nothing scrolling sideways on the phone;
 * from the overview's new and growing clusters to a cluster page; resident text rendered as text; the report in
 * print media without navigation or filters, printed to PDF; role separation (a team member of the municipality
 * sees its clusters, a council member of another municipality neither sees nor opens them). In-process on PGlite.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, expectNoSidewaysScroll, launchChromium, logIn, newPage, phone, serveInProcess } from '../support/browser.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';
import { seedClusters, seedPassword, seedUsers, type Seeded } from '../support/dashboard-seed.ts';
import { chromiumPath } from '../support/services.ts';

describe.skipIf(!chromiumPath)('clusters in chromium', () => {
  let browser: Browser | undefined;
  let database: TestDatabase | undefined;
  let server: { url: string; stop: () => Promise<void> } | undefined;
  let seeded: Seeded;
  let url = '';

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    seeded = await seedClusters(database.db);
    server = await serveInProcess(database.db);
    url = server.url;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  for (const [name, options] of [
    ['390 px', phone],
    ['1280 px', { viewport: { width: 1280, height: 900 } }],
  ] as const) {
    it(`the list, a cluster page and its report pass axe at ${name}`, async () => {
      if (!browser) throw new Error('not started');
      const { context, page } = await newPage(browser, options);
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await logIn(page, url, seedUsers.council, seedPassword);
      // From the overview's short list to the cluster page.
      const rising = page.locator('#rising-clusters');
      expect(await rising.getByRole('link').allInnerTexts()).toEqual(['schimmel huurwoning', '=HYPERLINK("http://x.test") bus gezondheidscentrum', 'Alle clusters']);
      await rising.getByRole('link', { name: 'Alle clusters' }).click();
      await page.getByRole('heading', { name: 'Clusters van Zaanstad', level: 1 }).waitFor();
      await expectNoAxeViolations(page, `the cluster list at ${name}`);
      if (options === phone) await expectNoSidewaysScroll(page, 390, 'the cluster list');
      expect(await page.locator('#clusters-withheld').innerText()).toContain('1 cluster met minder dan 5 inwoners');

      await page.getByRole('link', { name: /HYPERLINK/ }).click();
      await page.waitForURL(`${url}/dashboard/clusters/${seeded.clusters.rising}`);
      await expectNoAxeViolations(page, `a cluster page at ${name}`);
      if (options === phone) await expectNoSidewaysScroll(page, 390, 'a cluster page');
      // Resident text is text: the script in it is shown, never run or parsed.
      expect(await page.locator('main script').count()).toBe(0);
      expect(await page.locator('blockquote.signal-text').allInnerTexts()).toContain('<script>alert(1)</script> De bus naar het gezondheidscentrum rijdt niet meer');
      expect(await page.getByRole('img', { name: /Signalen per week/ }).count()).toBe(1);

      await page.getByRole('link', { name: 'Rapport om af te drukken' }).click();
      await page.getByRole('heading', { name: /^Rapport:/, level: 1 }).waitFor();
      await expectNoAxeViolations(page, `the report at ${name}`);
      if (options === phone) await expectNoSidewaysScroll(page, 390, 'the report');
      expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
      await context.close();
    });
  }

  it('the report prints cleanly: no navigation, filters or links bar, the signals and figures kept', async () => {
    if (!browser) throw new Error('not started');
    const { context, page } = await newPage(browser);
    await logIn(page, url, seedUsers.council, seedPassword);
    await page.goto(`${url}/dashboard/clusters/${seeded.clusters.stable}/rapport`);
    expect(await page.locator('.dashboard-header').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.dashboard-header').isVisible()).toBe(false);
    expect(await page.locator('#print-hint').isVisible()).toBe(false);
    expect(await page.locator('.utrecht-skip-link').isVisible()).toBe(false);
    expect(await page.getByRole('heading', { name: 'Rapport: wachtlijst huishoudelijke hulp' }).isVisible()).toBe(true);
    expect(await page.locator('blockquote.signal-text').count()).toBe(8);
    expect(await page.locator('blockquote.signal-text').first().isVisible()).toBe(true);
    expect(await page.locator('table.figures').first().isVisible()).toBe(true);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5000);
    await context.close();
  });

  it('role separation: a team member sees the clusters; a council member of another municipality does not', async () => {
    if (!browser) throw new Error('not started');
    const team = await newPage(browser, phone);
    await logIn(team.page, url, seedUsers.team, seedPassword);
    await team.page.getByRole('link', { name: 'Clusters', exact: true }).click();
    await team.page.waitForURL(`${url}/dashboard/clusters`);
    expect(await team.page.locator('tr.cluster-row').count()).toBe(3);
    await team.context.close();

    const other = await newPage(browser);
    await logIn(other.page, url, seedUsers.foreignCouncil, seedPassword);
    await other.page.goto(`${url}/dashboard/clusters`);
    await other.page.getByRole('heading', { name: 'Clusters van Wormerland', level: 1 }).waitFor();
    expect(await other.page.locator('tr.cluster-row').allInnerTexts()).toEqual([expect.stringContaining('fietspad wormer') as string]);
    await expectNoAxeViolations(other.page, 'the cluster list of another municipality');
    const response = await other.page.goto(`${url}/dashboard/clusters/${seeded.clusters.stable}`);
    expect(response?.status()).toBe(404);
    expect(await other.page.locator('body').innerText()).toBe('Dit cluster bestaat niet in jouw gemeente.');
    await other.context.close();
  });
});
