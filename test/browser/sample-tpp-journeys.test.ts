import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { Journey, launchChromium } from '../support/chromium.js';
import { SampleStack } from '../support/sample-stack.js';

/** Logs in on the bank's page (consent journey or dashboard). */
async function logIn(page: Page, username: string) {
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', DEMO_PASSWORD);
  await page.click('form[action$="/login"] button[type="submit"]');
}

/** Narrows the page to a phone's 375px and fails if the page then scrolls sideways. */
async function assertFitsPhone(page: Page) {
  await page.setViewportSize({ width: 375, height: 812 });
  // The <html> element's scrollWidth; the viewport's width is window.innerWidth.
  const scrollWidth = await page.locator('html').evaluate((html) => html.scrollWidth);
  const innerWidth = page.viewportSize()?.width ?? 0;
  assert.ok(scrollWidth <= innerWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`);
}

/** The account ids the sample app's budgeting page shows. */
const shownAccounts = (page: Page) =>
  page
    .locator('[data-account]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-account')));

describe('browser journeys: the sample TPP and the bank', function () {
  this.timeout(60_000);
  let browser: Browser;
  let env: SampleStack;
  const journeys: Journey[] = [];

  before(async function () {
    browser = await launchChromium(this);
    env = await SampleStack.start();
  });
  after(async () => {
    for (const journey of journeys) await journey.close().catch(() => undefined);
    await browser?.close();
    await env?.stop();
  });

  async function start(name: string, locale?: string) {
    const journey = await Journey.start(browser, name, locale ? { locale } : {});
    journeys.push(journey);
    return journey;
  }

  /** From the budgeting page to the consent screen's account choice, logged in. */
  async function connectBudgeting(journey: Journey, shots: boolean) {
    const { page } = journey;
    // Journey (a) arrives by the landing page's link; the others come straight here.
    if (page.url() !== `${env.url}/budgeting`) await page.goto(`${env.url}/budgeting`);
    if (shots) await journey.shot('budgeting-connect');
    await page.click('button:has-text("Connect your bank")');
    await page.waitForURL(`${env.stack.consent.url}/**`);
    if (shots) await journey.shot('bank-login');
    await logIn(page, 'zhangwei');
    await page.waitForSelector('input[name="accounts"]');
  }

  it('(a) budgeting: sample app → login → consent → 2 of 3 accounts → the app shows exactly those', async () => {
    const journey = await start('a-budgeting');
    const { page } = journey;
    await page.goto(`${env.url}/`);
    await journey.shot('landing');
    await page.click('a.product[href="/budgeting"]');
    // Loaded before going on: a navigation started now would abort the link's (ERR_ABORTED).
    await page.waitForURL(`${env.url}/budgeting`);
    await connectBudgeting(journey, true);
    assert.equal(await page.locator('input[name="accounts"]').count(), 3);
    await page.check('input[name="accounts"][value="acc-0001-01"]');
    await page.check('input[name="accounts"][value="acc-0001-03"]');
    await journey.shot('choose-accounts');
    await page.click('#accounts-form button[type="submit"]');
    await page.waitForSelector('form[action$="/approve"]');
    await journey.shot('review');
    await page.click('form[action$="/approve"] button[type="submit"]');
    await page.waitForURL(`${env.url}/budgeting`);
    await journey.shot('accounts');
    assert.deepEqual(await shownAccounts(page), ['acc-0001-01', 'acc-0001-03']);
    for (const id of ['acc-0001-01', 'acc-0001-03']) {
      const rows = page.locator(`[data-account="${id}"] tbody tr`);
      assert.equal(await rows.count(), 10, `transactions of ${id}`);
    }
    assert.equal(await page.locator('text=Home savings').count(), 0);
    // On a phone the description (e.g. 上海燃气有限公司) keeps room to read, not 1 character.
    await assertFitsPhone(page);
    await journey.shot('accounts-phone');
    const widths = await page
      .locator('[data-account] tbody td:nth-child(2)')
      .evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().width));
    assert.ok(Math.min(...widths) >= 80, `description cells ${Math.min(...widths)}px wide`);
    journey.assertClean();
  });

  it('(b) refusing on the consent screen: the app shows the refusal', async () => {
    const journey = await start('b-refuse');
    const { page } = journey;
    await connectBudgeting(journey, false);
    await page.check('input[name="accounts"][value="acc-0001-02"]');
    await page.click('#accounts-form button[type="submit"]');
    await page.waitForSelector('form[action$="/refuse"]');
    await journey.shot('review');
    await page.click('form[action$="/refuse"] button[type="submit"]');
    await page.waitForURL(`${env.url}/budgeting`);
    await journey.shot('refused');
    assert.equal(await page.getAttribute('[data-notice]', 'data-notice'), 'refused');
    assert.match(await page.innerText('main'), /You chose not to connect/);
    assert.equal(await page.locator('[data-account]').count(), 0);
    journey.assertClean();
  });

  it('(c) revoking in the bank dashboard: the app’s next refresh shows the revoked message', async () => {
    const journey = await start('c-revoke');
    const { page } = journey;
    await connectBudgeting(journey, false);
    await page.check('input[name="accounts"][value="acc-0001-01"]');
    await page.click('#accounts-form button[type="submit"]');
    await page.click('form[action$="/approve"] button[type="submit"]');
    await page.waitForURL(`${env.url}/budgeting`);
    assert.deepEqual(await shownAccounts(page), ['acc-0001-01']);
    await journey.shot('connected');

    // The customer opens the bank's dashboard in another tab and revokes.
    const bank = await journey.context.newPage();
    await bank.goto(`${env.stack.consent.url}/dashboard`);
    await logIn(bank, 'zhangwei');
    await bank.waitForSelector('a.consent-card__link');
    await journey.shot('dashboard', bank);
    await bank.click('a.consent-card__link:has-text("Tidewater Finance")');
    await journey.shot('consent-detail', bank);
    await bank.click('a[href$="/revoke"]');
    await journey.shot('revoke-confirm', bank);
    await bank.click('form[action$="/revoke"] button[type="submit"]');
    await bank.waitForURL(/notice=revoked/);
    await journey.shot('revoked-at-bank', bank);

    await page.bringToFront();
    await page.click('button:has-text("Refresh")');
    await page.waitForURL(`${env.url}/budgeting`);
    await journey.shot('app-revoked');
    assert.equal(await page.getAttribute('[data-notice]', 'data-notice'), 'revoked');
    assert.match(await page.innerText('main'), /Your bank connection was revoked/);
    assert.equal(await page.locator('button:has-text("Reconnect your bank")').count(), 1);
    assert.equal(await page.locator('[data-account]').count(), 0);
    journey.assertClean();
  });

  it('(e) SME loan: consent to credit data sharing → the credit profile appears', async () => {
    const journey = await start('e-loan');
    const { page } = journey;
    await page.goto(`${env.url}/loan`);
    await journey.shot('loan-connect');
    await page.click('button:has-text("Share credit data")');
    await page.waitForURL(`${env.stack.consent.url}/**`);
    await logIn(page, 'mingyuan');
    await page.waitForSelector('form[action$="/approve"]');
    await journey.shot('review');
    await page.click('form[action$="/approve"] button[type="submit"]');
    await page.waitForURL(`${env.url}/loan`);
    await journey.shot('credit-profile');
    const main = await page.innerText('main');
    assert.match(main, /Shanghai Mingyuan Technology Co\., Ltd\./);
    assert.match(main, /91310115MA1K4B7DXG/);
    assert.match(main, /Tax credit grades/);
    assert.ok((await page.locator('.grade').count()) >= 1);
    assert.equal(await page.locator('svg.chart rect.bar').count(), 24);
    // The 5-column invoice table scrolls inside its panel on a phone, not the whole page.
    await assertFitsPhone(page);
    await journey.shot('credit-profile-phone');
    journey.assertClean();
  });
});
