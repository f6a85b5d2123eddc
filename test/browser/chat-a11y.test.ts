/**
 * The web chat's accessibility and progressive enhancement in Debian's chromium, against the real process: axe-core
 * (WCAG 2.1 A/AA) finds nothing on a fresh chat, mid-conversation with quick replies, after a crisis reply and in
 * English; only the new reply is announced and the focus goes back to the text box; quick replies work from the
 * keyboard alone; nothing scrolls sideways on a 390 px phone or at 400 % zoom; without JavaScript the newest reply
 * takes the focus after a post; and a message sent while offline, whose first answer is then lost, arrives once.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataDir } from '../support/databases.ts';
import { startWijkstemProcess, type AppProcess } from '../support/app-process.ts';
import { expectNoAxeViolations, expectNoSidewaysScroll, launchChromium } from '../support/browser.ts';
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
const activeId = async (page: Page) => String(await page.evaluate('document.activeElement && document.activeElement.id'));
const announced = async (page: Page) => (await page.locator('#chat-announce').textContent()) ?? '';

/** Does something that posts, then waits until the reply has changed and nothing is waiting to be sent. */
async function replyTo(page: Page, action: () => Promise<void>): Promise<string> {
  const before = (await page.locator('.chat-line--out').count()) > 0 ? await lastReply(page) : '';
  await action();
  await expect.poll(async () => ((await page.locator('.chat-line--pending').count()) === 0 ? await lastReply(page).catch(() => before) : before), { timeout: 8000 }).not.toBe(before);
  return lastReply(page);
}

async function send(page: Page, text: string, label = 'Jouw bericht', button = 'Verstuur'): Promise<string> {
  return replyTo(page, async () => {
    await page.getByLabel(label).fill(text);
    await page.getByRole('button', { name: button }).click();
  });
}

async function fresh(options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page }> {
  if (!browser || !app) throw new Error('not started');
  const context = await browser.newContext(options);
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  await page.goto(`${app.url}/chat`);
  return { context, page };
}

describe.skipIf(!chromiumPath)('web chat accessibility in chromium', { timeout: 60_000 }, () => {
  it('fresh, mid-conversation and after a crisis: no axe violations; only the new reply is announced; focus back in the text box', async () => {
    const { context, page } = await fresh();
    await expectNoAxeViolations(page, 'a fresh chat');
    expect(await page.locator('html').getAttribute('class')).toContain('voorbeeld-theme');
    expect(await page.locator('#chat-text').getAttribute('class')).toContain('utrecht-textarea');

    const welcome = await send(page, 'De bus naar het ziekenhuis rijdt niet meer op zondag.');
    expect(welcome).toContain('Mogen we je verhaal bewaren');
    // Posted without a reload: the live region holds the bot's new reply and nothing of the resident's own line.
    expect(page.url()).toBe(`${app?.url ?? ''}/chat`);
    await expect.poll(() => announced(page)).toContain('Mogen we je verhaal bewaren');
    expect(await announced(page)).toMatch(/^Wijkstem: /);
    expect(await announced(page)).not.toContain('De bus naar het ziekenhuis');
    expect(await activeId(page)).toBe('chat-text');
    expect(await page.locator('[aria-live]').count()).toBe(1);
    await expectNoAxeViolations(page, 'mid-conversation with quick replies');

    // Keyboard only: from the text box back to the first quick reply, and Enter.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Ja, dat is goed');
    const thanks = await replyTo(page, () => page.keyboard.press('Enter'));
    expect(thanks).toMatch(/WS-[2-9A-Z]{6}/);
    expect(await activeId(page)).toBe('chat-text');
    await expect.poll(() => announced(page)).toContain('Dank je wel voor je verhaal');
    expect(await announced(page)).not.toContain('Mogen we');

    const crisis = await send(page, 'Ik wil niet meer leven.');
    expect(crisis).toContain('0800-0113');
    await expect.poll(() => announced(page)).toContain('0800-0113');
    await expectNoAxeViolations(page, 'after a crisis reply');
    await context.close();
  });

  it('in English: the page follows the conversation’s language, with no axe violations', async () => {
    const { context, page } = await fresh();
    await send(page, 'english');
    await page.reload();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByLabel('Your message').count()).toBe(1);
    await send(page, 'The lift in our building has been broken for weeks.', 'Your message', 'Send');
    await expectNoAxeViolations(page, 'the chat in English');
    await context.close();
  });

  it('no sideways scrolling on a 390 px phone or at 400 % zoom (320 CSS px)', async () => {
    for (const width of [390, 320]) {
      const { context, page } = await fresh({ viewport: { width, height: 800 } });
      await send(page, `Een heel lang woord zonder spaties: ${'x'.repeat(120)} en een link https://www.example.nl/${'pad/'.repeat(20)}`);
      await expectNoSidewaysScroll(page, width, `the chat at ${width} px`);
      await expectNoAxeViolations(page, `the chat at ${width} px`);
      await context.close();
    }
  });

  it('without JavaScript the newest reply takes the focus after a post; with it, a reload after a post announces it', async () => {
    const { context, page } = await fresh({ javaScriptEnabled: false });
    await send(page, 'Zonder script gaat het ook.');
    expect(page.url()).toContain('nieuw=1');
    expect(await activeId(page)).toBe('chat-newest');
    expect(await page.locator('#chat-newest').innerText()).toContain('Mogen we je verhaal bewaren');
    await context.close();

    const withScript = await fresh();
    await send(withScript.page, 'Met script en dan herladen.');
    await withScript.page.goto(`${app?.url ?? ''}/chat?nieuw=1`);
    await expect.poll(() => announced(withScript.page)).toContain('Mogen we je verhaal bewaren');
    expect(await activeId(withScript.page)).toBe('chat-text');
    await withScript.context.close();
  });

  it('a message sent offline is retried with the same id when back online and arrives once, also when an answer is lost', async () => {
    const { context, page } = await fresh();
    await send(page, 'Eerst even hallo.');
    let posts = 0;
    let lost = 0;
    // The first post that reaches the server has its answer lost on the way back, as on a flaky connection.
    await page.route((url) => url.pathname === '/chat', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posts++;
      if (lost === 0) {
        lost++;
        await route.fetch();
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    await context.setOffline(true);
    const story = 'Dit bericht verstuur ik zonder verbinding.';
    await page.getByLabel('Jouw bericht').fill(story);
    await page.getByRole('button', { name: 'Verstuur' }).click();
    await expect.poll(() => page.locator('.chat-line--pending').getAttribute('data-note')).toContain('Nog niet verstuurd');
    expect(await activeId(page)).toBe('chat-text');
    await context.setOffline(false);
    await expect.poll(() => page.locator('.chat-line--pending').count(), { timeout: 15_000 }).toBe(0);
    expect(posts).toBeGreaterThanOrEqual(2);
    await page.reload();
    const lines = await page.locator('.chat-line--in').allInnerTexts();
    expect(lines.filter((l) => l.includes(story))).toHaveLength(1);
    await context.close();
  });

  it('the embed snippet on a municipality’s own site adds a button that opens the chat in a new window', async () => {
    if (!browser || !app) throw new Error('not started');
    const context = await browser.newContext();
    context.setDefaultTimeout(8000);
    const page = await context.newPage();
    // Another origin on the loopback (localhost, not 127.0.0.1): an https site would block the plain-http test server as
    // mixed content, and a public one as a private-network request.
    const site = `${app.url.replace('127.0.0.1', 'localhost')}/gemeente-site`;
    await page.route(site, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="nl"><head><title>Gemeente</title></head><body><main><h1>Welkom</h1><div id="wijkstem-chat"></div><script src="${app?.url ?? ''}/chat/embed.js" data-gemeente="GM0479" async></script></main></body></html>`,
      }),
    );
    await page.goto(site);
    const button = page.getByRole('link', { name: 'Chat met de gemeente (opent in een nieuw venster)' });
    expect(await button.getAttribute('href')).toBe(`${app.url}/chat?gemeente=GM0479`);
    expect(await button.getAttribute('target')).toBe('_blank');
    const [chat] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await chat.waitForLoadState();
    expect(await chat.getByRole('heading', { level: 1 }).innerText()).toBe('Vertel het ons');
    await context.close();
  });
});
