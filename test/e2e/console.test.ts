import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  CONSOLE_PERSON,
  startConsoleProcesses,
  type ProcessHarness,
} from '../support/process-harness.js';
import { repoRoot } from '../support/paths.js';
import { expectNoUnhandled } from './deploy-helpers.js';

const STAGES = [
  'Source',
  'Test gate',
  'Build image',
  'Push image',
  'Helm upgrade',
  'Rollout',
  'Address',
];
/** A deploy on a busy 2-core machine: building, pushing, and pods that really start. */
const DEPLOY_LIMIT_MS = 180_000;
/** The README's screenshot: the console after `/deploy hello-world`, as this test left it. */
const SCREENSHOT = join(repoRoot, 'docs', 'console.png');

describe('the web console in a real browser: the bot and worker processes, no Slack app', () => {
  let harness: ProcessHarness;
  let browser: Browser;
  let page: Page;
  let deployedAddress = 'the address /deploy reported';

  /** Types a command into the console, as a person does, and sends it with Enter. */
  async function type(text: string): Promise<void> {
    await page.locator('#command').fill(text);
    await page.locator('#command').press('Enter');
  }

  /**
   * Starts keeping every text the page shows for the channel's newest message, as it changes: what
   * a person watching saw, however fast the updates came.
   */
  async function recordMessageVersions(): Promise<void> {
    await page.evaluate(`(() => {
      window.seenVersions = [];
      const list = document.getElementById('messages');
      const keep = () => {
        const bodies = list.querySelectorAll(':scope > li.message:not(.ephemeral) > .message-main > .body');
        const text = bodies.length ? bodies[bodies.length - 1].innerText : '';
        if (text && window.seenVersions.at(-1) !== text) window.seenVersions.push(text);
      };
      new MutationObserver(keep).observe(list, { childList: true, subtree: true, characterData: true });
    })()`);
  }
  const messageVersions = () => page.evaluate<string[]>('window.seenVersions');

  /** The newest message from Harbormaster in the channel (not an answer to the typist alone). */
  const lastBotMessage = () => page.locator('#messages > li.message:not(.ephemeral)').last();

  beforeAll(async () => {
    harness = await startConsoleProcesses(['hello-world', 'broken']);
    // Debian's chromium; nothing downloads a browser. Root needs --no-sandbox.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1 });
    await page.goto(`http://127.0.0.1:${harness.port}/`);
    await page.locator('#connection[data-state="live"]').waitFor();
  });
  afterAll(async () => {
    await browser.close();
    await harness.stopAll();
  });
  afterEach(() => {
    expectNoUnhandled(harness);
  });

  it(
    '/deploy hello-world goes through every stage live; the address link opens hello-world',
    async () => {
      await expect(page.locator('#me').textContent()).resolves.toBe(CONSOLE_PERSON.name);
      // An empty channel says what to type; a suggestion, clicked, is put in the composer.
      const welcome = page.locator('#messages > li.welcome');
      await welcome.getByRole('button', { name: '/deploy hello-world' }).click();
      await expect(page.locator('#command').inputValue()).resolves.toBe('/deploy hello-world');
      await recordMessageVersions();
      await page.locator('#command').press('Enter');
      await welcome.waitFor({ state: 'detached' });
      const message = lastBotMessage();
      await message
        .getByText('Deployed hello-world@main → staging')
        .waitFor({ timeout: DEPLOY_LIMIT_MS - 30_000 });
      const text = (await message.locator(':scope > .message-main > .body').innerText())
        .split('\n')
        .map((line) => line.trim());
      for (const stage of STAGES)
        expect(text).toContainEqual(
          expect.stringMatching(new RegExp(`^✅ ${stage} · \\d+\\.\\ds$`)),
        );
      // Live: the page showed the message queued, then each stage's progress, as it happened.
      const versions = await messageVersions();
      expect(versions[0]).toMatch(/^@you queued hello-world@main → staging/);
      const doneCounts = new Set(versions.map((version) => version.split('✅').length - 1));
      expect(doneCounts.size).toBeGreaterThanOrEqual(4);
      expect(Math.max(...doneCounts)).toBe(STAGES.length + 1);
      const link = message.locator('.body a[href^="http://127.0.0.1:"]');
      const address = (await link.getAttribute('href')) ?? '';
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
      deployedAddress = address;

      const [opened] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await opened.waitForLoadState();
      const answer = JSON.parse((await opened.locator('body').innerText()).trim()) as unknown;
      expect(answer).toMatchObject({ message: 'Hello, World!' });
      await opened.close();
    },
    DEPLOY_LIMIT_MS,
  );

  it('/status shows the deployed pods, Running and Ready', async () => {
    const answers = page.locator('#messages > li.message.ephemeral');
    const before = await answers.count();
    await type('/status hello-world');
    // The typed command is echoed, then Harbormaster's answer to this person alone.
    await answers.nth(before + 1).waitFor();
    const text = await answers.nth(before + 1).innerText();
    expect(text).toContain(`hello-world · staging · 2/2 pods ready · ${deployedAddress}`);
    expect(text.match(/hello-world-[a-z0-9]+-[a-z0-9]+ 1\/1 · Running · 0 restarts/g)).toHaveLength(
      2,
    );
    await page.screenshot({ path: SCREENSHOT });
  });

  it('a broken deploy shows the failing stage, and its log in the thread', async () => {
    writeFileSync(
      join(harness.sources.broken ?? '', 'greeting.js'),
      "module.exports = () => 'Goodbye, World!';\n",
    );
    await type('/deploy broken');
    const message = lastBotMessage();
    await message
      .getByText('Deploy of broken@main → staging failed')
      .waitFor({ timeout: DEPLOY_LIMIT_MS - 30_000 });
    await expect(message.locator(':scope > .message-main > .body').innerText()).resolves.toMatch(
      /Failed at Test gate after \d+\.\ds: the tests \(services\.broken\.test\.command\) exited with code 1/,
    );
    const thread = message.locator('details.thread');
    await thread.locator('summary').click();
    await thread
      .getByText(/Goodbye, World!/)
      .first()
      .waitFor();
  });
});
