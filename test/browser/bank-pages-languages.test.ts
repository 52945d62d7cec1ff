import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '@bund/service-kit';
import { Journey, launchChromium } from '../support/chromium.js';
import { SampleStack } from '../support/sample-stack.js';

/** What each language's pages must say; the browser's Accept-Language picks the language. */
const LANGUAGES = [
  {
    lang: 'zh',
    locale: 'zh-CN',
    htmlLang: 'zh-CN',
    tpp: '潮汐金融',
    asking: '「潮汐金融」请求访问您的数据',
    dashboard: '已授权的应用',
    revoked: '授权已撤销',
  },
  {
    lang: 'en',
    locale: 'en-GB',
    htmlLang: 'en',
    tpp: 'Tidewater Finance',
    asking: 'Tidewater Finance is asking to access your data',
    dashboard: 'Connected apps',
    revoked: 'Access revoked',
  },
] as const;

describe('browser journeys: the consent screen and the dashboard in Chinese and in English', function () {
  this.timeout(60_000);
  let browser: Browser;
  let env: SampleStack;

  before(async function () {
    browser = await launchChromium(this);
    env = await SampleStack.start();
  });
  after(async () => {
    await browser?.close();
    await env?.stop();
  });

  for (const language of LANGUAGES) {
    it(`(d) ${language.locale}: login, account choice, review, dashboard, detail and revoke speak ${language.lang}`, async () => {
      const journey = await Journey.start(browser, `d-bank-pages-${language.lang}`, {
        locale: language.locale,
      });
      try {
        const { page } = journey;
        const expectLanguage = async () => {
          assert.equal(await page.getAttribute('html', 'lang'), language.htmlLang, page.url());
          assert.match(await page.innerText('body'), new RegExp(language.tpp));
        };

        await page.goto(`${env.url}/budgeting`);
        await page.click('button:has-text("Connect your bank")');
        await page.waitForSelector('input[name="password"]');
        await expectLanguage();
        assert.match(await page.innerText('h1'), new RegExp(language.asking));
        await journey.shot('login');
        await page.fill('input[name="username"]', 'zhangwei');
        await page.fill('input[name="password"]', DEMO_PASSWORD);
        await page.click('form[action$="/login"] button[type="submit"]');
        await page.waitForSelector('input[name="accounts"]');
        await expectLanguage();
        await page.check('input[name="accounts"][value="acc-0001-02"]');
        await journey.shot('choose-accounts');
        await page.click('#accounts-form button[type="submit"]');
        await page.waitForSelector('form[action$="/approve"]');
        await expectLanguage();
        await journey.shot('review');
        await page.click('form[action$="/approve"] button[type="submit"]');
        await page.waitForURL(`${env.url}/budgeting`);
        assert.equal(await page.locator('[data-account]').count(), 1);

        await page.goto(`${env.stack.consent.url}/dashboard`);
        assert.equal(await page.getAttribute('html', 'lang'), language.htmlLang);
        await journey.shot('dashboard-login');
        await page.fill('input[name="username"]', 'zhangwei');
        await page.fill('input[name="password"]', DEMO_PASSWORD);
        await page.click('form[action$="/login"] button[type="submit"]');
        await page.waitForSelector('a.consent-card__link');
        await expectLanguage();
        assert.match(await page.innerText('h1'), new RegExp(language.dashboard));
        await journey.shot('dashboard');
        await page.click('a.consent-card__link');
        await page.waitForSelector('a[href$="/revoke"]');
        await expectLanguage();
        await journey.shot('consent-detail');
        await page.click('a[href$="/revoke"]');
        await expectLanguage();
        await journey.shot('revoke-confirm');
        await page.click('form[action$="/revoke"] button[type="submit"]');
        await page.waitForURL(/notice=revoked/);
        assert.match(await page.innerText('main'), new RegExp(language.revoked));
        await journey.shot('revoked');
        journey.assertClean();
      } finally {
        await journey.close();
      }
    });
  }
});
