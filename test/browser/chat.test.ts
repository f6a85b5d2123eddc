/**
 * The residents' web chat in Debian's chromium, against the real process on the embedded default: a whole
 * conversation with quick replies (also with JavaScript switched off), a crisis message that shows the help
 * numbers at once, and erasure on request.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataDir } from '../support/databases.ts';
import { startWijkstemProcess, type AppProcess } from '../support/app-process.ts';
import { launchChromium } from '../support/browser.ts';
import { chromiumPath } from '../support/services.ts';

let browser: Browser | undefined;
let app: AppProcess | undefined;
let data: ReturnType<typeof createDataDir> | undefined;

beforeAll(async () => {
  if (!chromiumPath) return;
  browser = await launchChromium();
  data = createDataDir();
  app = await startWijkstemProcess({ DATA_DIR: data.dir });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  data?.drop();
});

const lastReply = (page: Page) => page.locator('.chat-line--out').last().innerText();

/**
 * Does something that posts, then waits for the answer: with JavaScript the chat script renders it without a page
 * load, so wait until the last reply has changed and nothing is waiting to be sent.
 */
async function posting(page: Page, action: () => Promise<void>): Promise<void> {
  const before = (await page.locator('.chat-line--out').count()) > 0 ? await lastReply(page) : '';
  await action();
  await expect.poll(async () => ((await page.locator('.chat-line--pending').count()) === 0 ? await lastReply(page).catch(() => before) : before), { timeout: 8000 }).not.toBe(before);
}

async function send(page: Page, text: string): Promise<void> {
  await posting(page, async () => {
    await page.getByLabel('Jouw bericht').fill(text);
    await page.getByRole('button', { name: 'Verstuur' }).click();
  });
}

const choose = (page: Page, name: string, exact = false) => posting(page, () => page.getByRole('button', { name, exact }).click());

describe.skipIf(!chromiumPath)('web chat in chromium', () => {
  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])('a whole conversation with quick replies, %s', async (_name, javaScriptEnabled) => {
    if (!browser || !app) throw new Error('not started');
    const context = await browser.newContext({ javaScriptEnabled });
    context.setDefaultTimeout(8000);
    const page = await context.newPage();
    await page.goto(`${app.url}/chat`);
    await send(page, 'Mijn moeder wacht al maanden op een traplift en kan niet meer naar boven.');
    expect(await lastReply(page)).toContain('Mogen we je verhaal bewaren');
    await choose(page, 'Ja, dat is goed');
    const thanks = await lastReply(page);
    const reference = /WS-[2-9A-Z]{6}/.exec(thanks)?.[0];
    expect(reference, thanks).toBeDefined();

    await send(page, 'Het wijkteam belt ook niet terug.');
    expect(await lastReply(page)).toContain('zetten we erbij');
    await choose(page, 'Klaar');
    expect(await lastReply(page)).toContain('In welke wijk woon je?');
    await choose(page, 'Poelenburg');
    await choose(page, '45 tot 65 jaar');
    await choose(page, 'Ik zorg voor iemand');
    await choose(page, 'Ja', true);
    await choose(page, 'Overslaan');
    const summary = await lastReply(page);
    expect(summary).toContain(reference);
    expect(summary).toContain('wijk: Poelenburg');
    expect(summary).toContain('45 tot 65 jaar');
    // No quick replies are left once the conversation waits for a new story.
    expect(await page.locator('.chat-choices button').count()).toBe(0);
    await context.close();
  });

  it('shows the help numbers at once for a crisis message', async () => {
    if (!browser || !app) throw new Error('not started');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/chat`);
    await send(page, 'Ik wil niet meer leven.');
    const reply = await lastReply(page);
    expect(reply).toContain('113 Zelfmoordpreventie');
    expect(reply).toContain('0800-0113');
    expect(reply).toContain('112');
    await send(page, 'Mijn vriend slaat me als hij gedronken heeft.');
    const second = await lastReply(page);
    expect(second).toContain('Veilig Thuis');
    expect(second).toContain('0800-2000');
    await context.close();
  });

  it('erases the conversation on request, after confirmation', async () => {
    if (!browser || !app) throw new Error('not started');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/chat`);
    const story = 'De stoep in onze straat ligt al een jaar open.';
    await send(page, story);
    await choose(page, 'Ja, dat is goed');
    await send(page, 'verwijder mijn gegevens');
    expect(await lastReply(page)).toContain('Wil je dat we alles wissen');
    await choose(page, 'Ja, wis alles');
    expect(await lastReply(page)).toContain('gewist');
    expect(await page.locator('.chat-lines').innerText()).not.toContain(story);
    await page.reload();
    expect(await page.locator('main').innerText()).not.toContain(story);
    await context.close();
  });
});
