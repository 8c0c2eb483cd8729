import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, type RunningApp, startApp } from './app-process.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(REPO_ROOT, 'docs/screenshots');
const SCORE_STEPS = [90, 75, 60, 40];

/** Waits for the page to reach a state; pages poll and animate, so every check retries. */
const until = <T>(read: () => Promise<T> | T, timeout = 20_000) => expect.poll(read, { timeout, interval: 250 });

/**
 * The morning routine, end to end: the owner lands in the dashboard on embedded defaults,
 * creates a campaign, watches demo leads arrive, opens one, marks it contacted, filters by
 * score and finds it under Contacted. SUBSCOUT_E2E_URL points it at an already running app.
 */
describe('dashboard', () => {
  let app: RunningApp | undefined;
  let browser: BrowserContext;
  let page: Page;
  let profileDir: string;
  let baseUrl: string;

  beforeAll(async () => {
    if (process.env.SUBSCOUT_E2E_URL) baseUrl = process.env.SUBSCOUT_E2E_URL;
    else {
      // `subscout start` builds the dashboard itself when web/dist is missing.
      app = await startApp();
      baseUrl = app.url;
    }
    profileDir = mkdtempSync(join(tmpdir(), 'subscout-chromium-'));
    // A fresh profile per run: no cookies, cache or first-run state carried over.
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 800 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('when the owner creates a campaign, then demo leads arrive and one can be triaged to contacted', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });

    // Local mode from localhost: no sign-in form, straight into onboarding.
    await page.goto(baseUrl);
    await until(() => page.getByRole('heading', { name: 'Find your first leads' }).isVisible()).toBe(true);

    await page.getByRole('link', { name: 'Create a campaign' }).click();
    await page.getByLabel('Campaign name').fill('Tool seekers');
    await page.getByLabel('Product name').fill('Subscout');
    await page.getByLabel('Description').fill('Finds people on Reddit who are asking for a product like yours.');
    await page
      .getByLabel('Who is a good lead')
      .fill('Founders and marketers asking for tool recommendations or alternatives to what they use.');
    await page.getByLabel('Rule 1', { exact: true }).fill('recommend* OR alternative* OR looking OR suggestions OR tool*');
    await page.getByLabel('Watch all of Reddit').check();

    // The preview panel answers from the API's parser and recent items.
    const preview = page.getByRole('complementary', { name: 'Preview' });
    await until(async () => (await preview.getAttribute('aria-busy')) === 'false' && !((await preview.textContent()) ?? '').includes('Write a rule'))
      .toBe(true);
    // Live validation: the API's rule parser answers, and its message shows under the rule.
    await page.getByRole('button', { name: '+ Add rule' }).click();
    await page.getByLabel('Rule 2', { exact: true }).fill('"crm for freelancers" AND');
    const ruleError = page.locator('.rules li').nth(1).locator('.rule-error');
    await until(() => ruleError.count(), 15_000).toBeGreaterThan(0);
    expect(((await ruleError.first().textContent()) ?? '').length).toBeGreaterThan(10);
    await page.getByRole('button', { name: 'Remove rule 2' }).click();
    await until(() => page.locator('.rule-error').count()).toBe(0);

    await page.getByRole('button', { name: 'Create campaign' }).click();
    await until(() => page.getByRole('heading', { name: 'Tool seekers' }).isVisible()).toBe(true);

    // Demo leads arrive while the inbox polls.
    const rows = page.locator('li.lead');
    await until(() => rows.count(), 120_000).toBeGreaterThan(0);
    expect(await page.locator('li.lead .tag-demo').count()).toBeGreaterThan(0);
    await page.waitForTimeout(1_500);
    await page.screenshot({ path: join(SCREENSHOTS, 'inbox.png') });

    // Why a lead scored as it did, without leaving the list.
    const withReasons = page.locator('li.lead', { has: page.getByRole('button', { name: 'Why?' }) }).first();
    await until(() => withReasons.count(), 60_000).toBe(1);
    const scored = page.locator(`li.lead[data-lead-id="${await withReasons.getAttribute('data-lead-id')}"]`);
    await scored.getByRole('button', { name: 'Why?' }).click();
    await until(async () => (await scored.locator('.reasons li').count()) > 0 || (await scored.getByText('No reasons recorded.').count()) > 0).toBe(true);
    await scored.getByRole('button', { name: 'Hide reasons' }).click();

    // With items stored, the saved campaign's editor previews what its rules match.
    await page.getByRole('link', { name: 'Edit campaign' }).click();
    await until(() => page.locator('.preview-list li').count(), 30_000).toBeGreaterThan(0);
    expect(await page.locator('.preview-list mark').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'campaign-editor.png') });
    await page.getByRole('link', { name: 'Leads', exact: true }).click();
    await until(() => rows.count()).toBeGreaterThan(0);

    // Open the first lead and mark it contacted.
    const first = rows.first();
    const title = ((await first.locator('.lead-title').textContent()) ?? '').replace(/^Re:/, '').trim();
    await first.locator('.lead-title').click();
    await until(() => page.locator('.detail-title').isVisible()).toBe(true);
    const scoreText = (await page.locator('.detail-head .score').textContent()) ?? '';
    await page.getByRole('button', { name: 'Contacted', exact: true }).click();
    await until(() => page.getByRole('button', { name: 'Contacted', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await until(() => page.getByText('Marked contacted').isVisible()).toBe(true);

    // Back in the inbox: filter by score, then find the lead under Contacted.
    await page.locator('.crumbs a').click();
    const score = Number(scoreText);
    const step = Number.isFinite(score) ? SCORE_STEPS.find((s) => s <= score) : undefined;
    if (step !== undefined) {
      await page.getByLabel('Minimum score').selectOption(String(step));
      await until(() => page.url()).toContain(`min_score=${step}`);
    }
    await page.getByRole('tab', { name: 'Contacted' }).click();
    await until(() => page.url()).toContain('status=contacted');
    await until(() => page.locator('li.lead .lead-title').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(title.slice(0, 40))]),
    );
    // Every lead shown honours the score filter.
    if (step !== undefined) {
      const scores = (await page.locator('li.lead .score').allTextContents()).map(Number);
      expect(scores.every((s) => s >= step)).toBe(true);
    }
  });
});
