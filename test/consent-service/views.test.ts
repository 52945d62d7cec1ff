import assert from 'node:assert/strict';
import { html, SafeHtml } from '@bund/service-kit/html';
import { messages, type Messages } from '@bund/consent-service/views/messages';
import { pages } from '@bund/consent-service/views/pages';
import type {
  AccountView,
  ClientView,
  ConsentDetailView,
  ConsentRequestView,
  ConsentSummaryView,
  DashboardView,
  ErrorView,
  Lang,
  LoginView,
  ReviewView,
  RevokeConfirmView,
  SelectAccountsView,
} from '@bund/consent-service/views/view-models';

const LANGS: Lang[] = ['en', 'zh'];
const CSRF = 'csrf-token-123';

const demoTpp: ClientView = {
  id: 'bund-demo-tpp',
  name: 'Bund Demo Budgeting',
  logoUri: '/static/tpp/bund-demo-tpp.svg',
};
const hostileTpp: ClientView = { id: 'evil', name: '<script>alert(1)</script>' };

const accountRequest: ConsentRequestView = {
  type: 'account_information',
  permissions: [
    {
      name: 'ReadBalances',
      text: { en: 'See your account balances', zh: '查看您的账户余额' },
    },
    {
      name: 'ReadTransactionsBasic',
      text: {
        en: 'See your transactions (amounts, dates and categories)',
        zh: '查看您的交易记录（金额、日期和类别）',
      },
    },
  ],
  expiresAt: '2027-01-31T08:00:00Z',
  transactionFrom: '2026-01-01T00:00:00+08:00',
  transactionTo: '2026-12-31T23:59:59+08:00',
};

const creditRequest: ConsentRequestView = {
  type: 'credit_data_sharing',
  permissions: [
    {
      name: 'ReadEnterpriseTaxGrades',
      text: {
        en: 'See your enterprise’s tax credit grade for each year',
        zh: '查看企业历年纳税信用等级',
      },
    },
  ],
  expiresAt: '2026-09-30T08:00:00Z',
  purpose: 'Working-capital loan assessment',
};

const accounts: AccountView[] = [
  {
    id: 'acc-0001',
    type: 'current',
    currency: 'CNY',
    nickname: { en: 'Everyday account', zh: '日常账户' },
    maskedNumber: '**** 4821',
    productName: { en: 'Bund Current', zh: '本德活期' },
  },
  {
    id: 'acc-0002',
    type: 'savings',
    currency: 'CNY',
    nickname: { en: 'Rainy day', zh: '备用金' },
    maskedNumber: '**** 9034',
    productName: { en: 'Bund Saver', zh: '本德储蓄' },
  },
];

const customerName = { en: 'Zhang Wei', zh: '张伟' };

function context(lang: Lang, path = '/interaction/abc') {
  return { lang, path, csrfToken: CSRF };
}

function summary(
  status: ConsentSummaryView['status'],
  client: ClientView = demoTpp,
): ConsentSummaryView {
  return {
    id: `c-${status}`,
    client,
    type: 'account_information',
    status,
    createdAt: '2026-02-01T02:00:00Z',
    expiresAt: '2027-01-31T08:00:00Z',
    statusUpdatedAt: '2026-03-05T06:30:00Z',
    detailHref: `/dashboard/consents/c-${status}`,
  };
}

const views = {
  login: (lang: Lang, client: ClientView = demoTpp): LoginView => ({
    ...context(lang),
    action: '/interaction/abc/login',
    client,
    request: accountRequest,
    username: 'zhangwei',
    error: 'invalid_credentials',
  }),
  selectAccounts: (lang: Lang, client: ClientView = demoTpp): SelectAccountsView => ({
    ...context(lang),
    client,
    request: accountRequest,
    customerName,
    accounts,
    selected: ['acc-0002'],
    action: '/interaction/abc/accounts',
    refuseAction: '/interaction/abc/refuse',
    error: 'no_account_selected',
  }),
  review: (lang: Lang, client: ClientView = demoTpp): ReviewView => ({
    ...context(lang),
    client,
    request: accountRequest,
    customerName,
    accounts: [accounts[0]!],
    approveAction: '/interaction/abc/approve',
    refuseAction: '/interaction/abc/refuse',
    changeAccountsHref: '/interaction/abc/accounts',
  }),
  error: (lang: Lang): ErrorView => ({
    ...context(lang),
    status: 401,
    error: 'session_expired',
    continueHref: '/dashboard',
  }),
  dashboard: (lang: Lang, client: ClientView = demoTpp): DashboardView => ({
    ...context(lang, '/dashboard'),
    customerName,
    active: [summary('Authorised', client)],
    past: [summary('Revoked', client), summary('Expired', client)],
    logoutAction: '/logout',
    notice: 'revoked',
  }),
  consentDetail: (lang: Lang, client: ClientView = demoTpp): ConsentDetailView => ({
    ...context(lang, '/dashboard/consents/c-1'),
    customerName,
    consent: { ...summary('Authorised', client), request: accountRequest, accounts },
    history: [
      {
        at: '2026-02-01T02:00:00Z',
        fromStatus: null,
        toStatus: 'AwaitingAuthorisation',
        reason: 'created',
        actor: 'tpp',
      },
      {
        at: '2026-02-01T02:03:00Z',
        fromStatus: 'AwaitingAuthorisation',
        toStatus: 'Authorised',
        reason: 'customer_authorised',
        actor: 'customer',
      },
    ],
    dataAccess: [
      {
        at: '2026-02-02T01:00:00Z',
        operation: 'getAccountBalances',
        resources: ['acc-0001'],
        outcome: 'allowed',
      },
    ],
    dataAccessPage: { first: 1, last: 1, total: 1 },
    customerAccounts: accounts,
    dataAccessRetentionDays: 184,
    revokeHref: '/dashboard/consents/c-1/revoke',
    backHref: '/dashboard',
    logoutAction: '/logout',
  }),
  revokeConfirm: (lang: Lang, client: ClientView = demoTpp): RevokeConfirmView => ({
    ...context(lang, '/dashboard/consents/c-1/revoke'),
    customerName,
    consent: summary('Authorised', client),
    revokeAction: '/dashboard/consents/c-1/revoke',
    cancelHref: '/dashboard/consents/c-1',
    logoutAction: '/logout',
  }),
};

/** Every page in one language, rendered from a realistic view. */
function renderAll(lang: Lang, client: ClientView = demoTpp): Record<string, string> {
  return {
    login: pages.login(views.login(lang, client)),
    selectAccounts: pages.selectAccounts(views.selectAccounts(lang, client)),
    review: pages.review(views.review(lang, client)),
    error: pages.error(views.error(lang)),
    dashboard: pages.dashboard(views.dashboard(lang, client)),
    consentDetail: pages.consentDetail(views.consentDetail(lang, client)),
    revokeConfirm: pages.revokeConfirm(views.revokeConfirm(lang, client)),
  };
}

/*
 * The renderers' markup is formatted by prettier, so these helpers look at pages the way a
 * browser would (tags and their attributes, text with whitespace collapsed), not at spacing.
 */

type Attributes = Record<string, string>;

/** Each opening `<name …>` tag in `markup`, as its attributes (a bare attribute maps to ''). */
function tags(markup: string, name: string): Attributes[] {
  return [...markup.matchAll(new RegExp(`<${name}\\b([^>]*)>`, 'g'))].map((match) =>
    Object.fromEntries(
      [...(match[1] ?? '').matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)].map((attribute) => [
        attribute[1]!,
        attribute[2] ?? '',
      ]),
    ),
  );
}

/** The text a reader sees: tags dropped, whitespace collapsed (entities left as they are). */
function textOf(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Each `<form>…</form>` of a page. */
function forms(page: string): string[] {
  return page.match(/<form\b[\s\S]*?<\/form>/g) ?? [];
}

/** The element with this class, from its opening tag to the first closing tag of its kind. */
function byClass(page: string, className: string): string[] {
  return [
    ...page.matchAll(
      new RegExp(
        `<(\\w+)\\b[^>]*class="[^"]*\\b${className}\\b[^"]*"[^>]*>[\\s\\S]*?</\\1\\s*>`,
        'g',
      ),
    ),
  ].map((match) => match[0]);
}

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.keys(value)
    .sort()
    .flatMap((key) => keyPaths((value as Record<string, unknown>)[key], `${prefix}.${key}`));
}

describe('consent service pages', () => {
  for (const lang of LANGS) {
    describe(`in ${lang === 'en' ? 'English' : 'Chinese'}`, () => {
      const rendered = renderAll(lang);

      for (const [name, page] of Object.entries(rendered)) {
        it(`renders ${name} as a complete document in the right language`, () => {
          assert.match(page, /^<!doctype html>/);
          assert.deepEqual(tags(page, 'html'), [{ lang: lang === 'en' ? 'en' : 'zh-CN' }]);
          const metas = tags(page, 'meta');
          assert.ok(metas.some((meta) => meta.charset === 'utf-8'));
          assert.ok(metas.some((meta) => meta.name === 'viewport'));
          assert.match(page, /<title>[^<]+ · (Bund Bank|本德银行)<\/title>/);
          assert.ok(
            tags(page, 'link').some(
              (link) => link.rel === 'stylesheet' && link.href === '/static/bund.css',
            ),
          );
          assert.match(page, /<\/html>\s*$/);
        });

        it(`offers both languages on ${name}, keeping the path`, () => {
          const path = name === 'dashboard' ? '/dashboard' : '';
          const hrefs = tags(page, 'a').map((a) => a.href);
          assert.ok(hrefs.some((href) => href?.endsWith(`${path}?lang=en`)));
          assert.ok(hrefs.some((href) => href?.endsWith(`${path}?lang=zh`)));
        });

        it(`keeps ${name} free of scripts and inline styles, so the CSP holds`, () => {
          assert.doesNotMatch(page, /<script/i);
          assert.doesNotMatch(page, /\sstyle=/i);
          assert.doesNotMatch(page, /\son[a-z]+=/i);
          assert.doesNotMatch(page, /javascript:/i);
        });

        it(`posts every form on ${name} with the CSRF token`, () => {
          for (const form of forms(page)) {
            assert.equal(tags(form, 'form')[0]?.method, 'post', form);
            assert.ok(
              tags(form, 'input').some(
                (input) =>
                  input.type === 'hidden' && input.name === '_csrf' && input.value === CSRF,
              ),
              form,
            );
          }
        });
      }
    });
  }

  describe('the login page', () => {
    it('tells who is asking and keeps the login name after a wrong password', () => {
      const page = pages.login(views.login('en'));
      const text = textOf(page);
      assert.ok(text.includes('Bund Demo Budgeting is asking to access your data'));
      assert.ok(text.includes('The login name or password is not right'));
      const [login] = forms(page);
      assert.equal(tags(login!, 'form')[0]?.action, '/interaction/abc/login');
      const inputs = tags(login!, 'input');
      assert.ok(inputs.some((input) => input.name === 'username' && input.value === 'zhangwei'));
      assert.ok(inputs.some((input) => input.name === 'password' && input.type === 'password'));
      // Every visible field has a label pointing at it.
      const labelled = new Set(tags(page, 'label').map((label) => label.for));
      for (const input of inputs.filter((input) => input.type !== 'hidden')) {
        assert.ok(labelled.has(input.id), `no label for ${input.name}`);
      }
      assert.equal(tags(page, 'div').filter((div) => div.role === 'alert').length, 1);
    });

    it('says it in Chinese with the TPP name quoted', () => {
      const text = textOf(pages.login(views.login('zh')));
      assert.ok(text.includes('「Bund Demo Budgeting」请求访问您的数据'));
      assert.ok(text.includes('登录名或密码不正确'));
    });

    it('opens the dashboard without a TPP', () => {
      const page = pages.login({
        ...context('en', '/dashboard/login'),
        action: '/dashboard/login',
      });
      assert.ok(textOf(page).includes('Log in to manage connected apps'));
      assert.ok(!textOf(page).includes('is asking to access'));
      assert.ok(!page.includes('role="alert"'));
    });

    it('shows the TPP logo with alt text, or its initials without one', () => {
      const logos = tags(pages.login(views.login('en')), 'img');
      assert.ok(
        logos.some(
          (img) =>
            img.src === '/static/tpp/bund-demo-tpp.svg' && img.alt === 'Bund Demo Budgeting logo',
        ),
      );
      const noLogo = pages.login(views.login('en', { id: 'x', name: 'Acme Lending' }));
      assert.deepEqual(tags(noLogo, 'img'), []);
      assert.deepEqual(byClass(noLogo, 'tpp-logo--initials').map(textOf), ['AL']);
    });
  });

  describe('the account selection page', () => {
    for (const lang of LANGS) {
      it(`offers each account as a checkbox with its id and state (${lang})`, () => {
        const page = pages.selectAccounts(views.selectAccounts(lang));
        const boxes = tags(page, 'input').filter((input) => input.type === 'checkbox');
        assert.deepEqual(
          boxes.map((box) => [box.name, box.value, 'checked' in box]),
          [
            ['accounts', 'acc-0001', false],
            ['accounts', 'acc-0002', true],
          ],
        );
        assert.equal(tags(page, 'fieldset').length, 1);
        assert.equal(tags(page, 'legend').length, 1);
        assert.ok(textOf(page).includes('**** 9034'));
        assert.ok(page.includes('role="alert"'));
      });
    }

    it('posts the choice and the refusal to separate actions', () => {
      const [choose, refuse] = forms(pages.selectAccounts(views.selectAccounts('en')));
      assert.equal(tags(choose!, 'form')[0]?.action, '/interaction/abc/accounts');
      assert.equal(tags(choose!, 'button')[0]?.type, 'submit');
      assert.equal(tags(refuse!, 'form')[0]?.action, '/interaction/abc/refuse');
      assert.equal(tags(refuse!, 'button')[0]?.type, 'submit');
    });

    it('states the transaction window and expiry in the customer’s language', () => {
      const en = textOf(pages.selectAccounts(views.selectAccounts('en')));
      assert.ok(en.includes('From 1 Jan 2026 to 31 Dec 2026'));
      assert.ok(en.includes('Access until 31 Jan 2027'));
      const zh = textOf(pages.selectAccounts(views.selectAccounts('zh')));
      assert.ok(zh.includes('2026年1月1日至2026年12月31日'));
      assert.ok(zh.includes('2027年1月31日'));
      assert.ok(zh.includes('请至少选择一个账户'));
    });
  });

  describe('the review page', () => {
    it('shows permissions, chosen accounts, dates and the way to withdraw', () => {
      const page = pages.review(views.review('en'));
      const text = textOf(page);
      assert.ok(text.includes('See your account balances'));
      assert.ok(text.includes('Everyday account Bund Current · Current account · CNY **** 4821'));
      assert.ok(!text.includes('**** 9034'));
      assert.ok(
        text.includes('You can withdraw this access at any time in your consent dashboard.'),
      );
      assert.ok(tags(page, 'a').some((a) => a.href === '/dashboard'));
      const [approve, refuse] = forms(page);
      assert.equal(tags(approve!, 'form')[0]?.action, '/interaction/abc/approve');
      assert.equal(tags(refuse!, 'form')[0]?.action, '/interaction/abc/refuse');
    });

    it('shows permission texts in Chinese', () => {
      const text = textOf(pages.review(views.review('zh')));
      assert.ok(text.includes('查看您的账户余额'));
      assert.ok(text.includes('日常账户'));
      assert.ok(text.includes('您可以随时在授权管理页面撤销此授权。'));
    });

    it('says "all available history" when the TPP set no window', () => {
      const request = { ...accountRequest, transactionFrom: undefined, transactionTo: undefined };
      assert.ok(
        textOf(pages.review({ ...views.review('en'), request })).includes('All available history'),
      );
      assert.ok(
        textOf(pages.review({ ...views.review('zh'), request })).includes('全部可查询的历史记录'),
      );
    });

    it('names whose credit data and why for credit_data_sharing', () => {
      const text = textOf(
        pages.review({
          ...views.review('zh'),
          request: creditRequest,
          accounts: [],
          changeAccountsHref: undefined,
          subject: {
            kind: 'enterprise',
            name: {
              en: 'Shanghai Mingyuan Technology Co., Ltd.',
              zh: '上海明远科技有限公司',
            },
            creditCode: '91310115MA1K4B7DXG',
          },
        }),
      );
      assert.ok(text.includes('上海明远科技有限公司'));
      assert.ok(text.includes('统一社会信用代码: 91310115MA1K4B7DXG'));
      assert.ok(text.includes('Working-capital loan assessment'));
      assert.ok(text.includes('信用数据共享'));
      assert.ok(!text.includes('交易记录范围'));
      assert.ok(!text.includes('第 2 步'));
    });

    it('names the individual whose credit data it is', () => {
      const text = textOf(
        pages.review({
          ...views.review('en'),
          request: creditRequest,
          subject: { kind: 'individual', name: customerName },
        }),
      );
      assert.ok(text.includes('Zhang Wei (you, personally)'));
    });

    it('explains a subject mismatch', () => {
      const page = pages.review({ ...views.review('en'), error: 'subject_mismatch' });
      assert.ok(textOf(page).includes('does not belong to you'));
    });
  });

  describe('the error page', () => {
    it('explains each error in both languages, with the way on', () => {
      for (const lang of LANGS) {
        for (const error of Object.keys(messages.en.errorPages) as ErrorView['error'][]) {
          const page = pages.error({ ...views.error(lang), error });
          assert.ok(textOf(page).includes(messages[lang].errorPages[error].title));
          assert.ok(textOf(page).includes(messages[lang].errorPages[error].body));
          assert.ok(tags(page, 'a').some((a) => a.href === '/dashboard'));
        }
      }
      const noWayOn = pages.error({ ...views.error('en'), continueHref: undefined });
      assert.ok(!textOf(noWayOn).includes('Continue'));
    });
  });

  describe('the dashboard', () => {
    it('lists active and past consents with status words and a success banner', () => {
      const page = pages.dashboard(views.dashboard('en'));
      assert.ok(textOf(page).includes('Access revoked.'));
      assert.deepEqual(byClass(page, 'badge').map(textOf), ['Authorised', 'Revoked', 'Expired']);
      assert.ok(tags(page, 'a').some((a) => a.href === '/dashboard/consents/c-Authorised'));
      assert.ok(textOf(page).includes('Signed in as Zhang Wei'));
      assert.equal(tags(forms(page)[0]!, 'form')[0]?.action, '/logout');
    });

    it('says which accounts each consent covers, so two of one app can be told apart', () => {
      for (const lang of LANGS) {
        const page = pages.dashboard({
          ...views.dashboard(lang),
          active: [
            { ...summary('Authorised'), accounts: [accounts[0]!] },
            { ...summary('Authorised'), accounts: accounts.slice(0, 2) },
          ],
        });
        const covered = byClass(page, 'consent-card__accounts').map(textOf);
        assert.equal(covered.length, 2, lang);
        assert.ok(covered[0]!.includes(accounts[0]!.maskedNumber), covered[0]);
        assert.ok(!covered[0]!.includes(accounts[1]!.maskedNumber), covered[0]);
        assert.ok(covered[1]!.includes(accounts[1]!.maskedNumber), covered[1]);
      }
    });

    it('gives every status its own words and colour', () => {
      const statuses: ConsentSummaryView['status'][] = [
        'AwaitingAuthorisation',
        'Authorised',
        'Rejected',
        'Revoked',
        'Expired',
      ];
      for (const lang of LANGS) {
        const page = pages.dashboard({
          ...views.dashboard(lang),
          active: statuses.map((status) => summary(status)),
        });
        const badges = byClass(page, 'badge').slice(0, statuses.length);
        assert.deepEqual(
          badges.map(textOf),
          statuses.map((status) => messages[lang].status[status]),
        );
        assert.equal(new Set(badges.map((badge) => tags(badge, 'span')[0]?.class)).size, 5);
      }
    });

    it('shows empty states and dates in Chinese', () => {
      const empty = textOf(
        pages.dashboard({ ...views.dashboard('zh'), active: [], past: [], notice: undefined }),
      );
      assert.ok(empty.includes('目前没有应用可以访问您的数据'));
      assert.ok(!empty.includes('授权已撤销'));
      const full = textOf(pages.dashboard(views.dashboard('zh')));
      assert.ok(full.includes('已授权'));
      assert.ok(full.includes('申请日期 2026年2月1日'));
    });
  });

  describe('the consent detail page', () => {
    it('shows history in words, data access, accounts and the revoke link', () => {
      const page = pages.consentDetail(views.consentDetail('en'));
      const text = textOf(page);
      assert.ok(text.includes('New request → Awaiting your approval'));
      assert.ok(text.includes('The app asked for access Bund Demo Budgeting'));
      assert.ok(text.includes('You allowed access You'));
      assert.ok(text.includes('Balances Everyday account **** 4821 Allowed'));
      const hrefs = tags(page, 'a').map((a) => a.href);
      assert.ok(hrefs.includes('/dashboard/consents/c-1/revoke'));
      assert.ok(hrefs.includes('/dashboard'));
    });

    it('puts every reason code into words in both languages', () => {
      for (const lang of LANGS) {
        for (const reason of Object.keys(messages.en.reason) as (keyof Messages['reason'])[]) {
          const view = views.consentDetail(lang);
          const page = pages.consentDetail({
            ...view,
            history: [{ ...view.history[0]!, reason, actor: 'system' }],
          });
          assert.ok(textOf(page).includes(messages[lang].reason[reason]), `${lang} ${reason}`);
        }
      }
    });

    it('tells the customer how long each data-access entry is kept, in their language', () => {
      const text = (lang: Lang, days: number) =>
        textOf(
          pages.consentDetail({ ...views.consentDetail(lang), dataAccessRetentionDays: days }),
        );
      assert.ok(text('en', 184).includes('Each entry is kept for 184 days, then deleted.'));
      assert.ok(text('zh', 184).includes('每条记录保留 184 天，到期后自动删除。'));
      assert.ok(text('en', 1).includes('Each entry is kept for 1 day, then deleted.'));
    });

    it('names an account of the customer’s that the consent does not cover, not by its id', () => {
      const view = views.consentDetail('en');
      const page = pages.consentDetail({
        ...view,
        consent: { ...view.consent, accounts: [accounts[0]!] },
        dataAccess: [{ ...view.dataAccess[0]!, resources: ['acc-0002'], outcome: 'refused' }],
      });
      assert.ok(textOf(page).includes('Balances Rainy day **** 9034 Refused'), textOf(page));
      assert.ok(!page.includes('acc-0002'), 'the bank’s id is not shown');
    });

    it('says which data-access entries a page shows, of how many, with links to others', () => {
      const paged = (lang: Lang) =>
        pages.consentDetail({
          ...views.consentDetail(lang),
          dataAccessPage: {
            first: 51,
            last: 100,
            total: 120,
            newerHref: '/dashboard/consents/c-1?newer=1770000000000-70',
            olderHref: '/dashboard/consents/c-1?older=1760000000000-20',
          },
        });
      const en = paged('en');
      // Messages of their own: assert's own message for a failure (it reads this source) hangs.
      const text = textOf(en);
      assert.ok(text.includes('Showing entries 51–100 of 120, newest first.'), text);
      assert.ok(text.includes('← Newer entries · Older entries →'), text);
      assert.deepEqual(
        tags(en, 'a')
          .map((a) => a.href)
          .filter((href) => href?.includes('er=')),
        [
          '/dashboard/consents/c-1?newer=1770000000000-70',
          '/dashboard/consents/c-1?older=1760000000000-20',
        ],
      );
      const zh = textOf(paged('zh'));
      assert.ok(zh.includes('共 120 条记录（从新到旧），当前显示第 51–100 条。'), zh);
      assert.ok(zh.includes('较新的记录') && zh.includes('更早的记录'), zh);
      const single = textOf(pages.consentDetail(views.consentDetail('en')));
      assert.ok(!single.includes('Showing entries'), 'one page needs no count');
      assert.ok(!/(Older|Newer) entries/.test(single), 'nor links to other pages');
    });

    it('says when no data access is recorded and hides revoke when not possible', () => {
      const page = pages.consentDetail({
        ...views.consentDetail('zh'),
        dataAccess: [],
        revokeHref: undefined,
      });
      assert.ok(textOf(page).includes('暂无数据访问记录'));
      assert.ok(!tags(page, 'a').some((a) => a.href?.endsWith('/revoke')));
    });
  });

  describe('the revoke confirmation', () => {
    it('asks the question and posts to the revoke action, with a way back', () => {
      const page = pages.revokeConfirm(views.revokeConfirm('en'));
      const text = textOf(page);
      assert.ok(text.includes('Revoke access for Bund Demo Budgeting?'));
      assert.ok(text.includes('It stops Bund Demo Budgeting from reading your data immediately'));
      assert.ok(
        forms(page).some(
          (form) => tags(form, 'form')[0]?.action === '/dashboard/consents/c-1/revoke',
        ),
      );
      assert.ok(tags(page, 'a').some((a) => a.href === '/dashboard/consents/c-1'));
      const zh = textOf(pages.revokeConfirm(views.revokeConfirm('zh')));
      assert.ok(zh.includes('撤销「Bund Demo Budgeting」的访问授权？'));
    });
  });

  describe('escaping', () => {
    for (const lang of LANGS) {
      it(`escapes a hostile TPP name on every page (${lang})`, () => {
        for (const [name, page] of Object.entries(renderAll(lang, hostileTpp))) {
          assert.doesNotMatch(page, /<script/i, name);
          if (name !== 'error') {
            assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), name);
          }
        }
      });
    }

    it('escapes attribute values and the language-switch path', () => {
      const page = pages.login({
        ...views.login('en'),
        path: '/interaction/"><img src=x>?a=1',
        username: '"><b>x</b>',
      });
      assert.ok(!page.includes('<img src=x>'));
      assert.ok(!page.includes('<b>x</b>'));
      assert.ok(tags(page, 'a').some((a) => a.href?.endsWith('?a=1&amp;lang=zh')));
    });
  });

  describe('the html template', () => {
    it('escapes text, keeps safe fragments, joins arrays and drops false and nullish', () => {
      const item = (text: string) => html`<li>${text}</li>`;
      const markup = html`<ul title="${'"quoted" & <tag>'}">
        ${['a<b', "c'd"].map(item)}${false}${null}${undefined}${0}
      </ul>`;
      assert.equal(
        // prettier formats the template above; whitespace between tags is not the point here.
        markup.toString().replace(/>\s+/g, '>').replace(/\s+</g, '<'),
        '<ul title="&quot;quoted&quot; &amp; &lt;tag&gt;"><li>a&lt;b</li><li>c&#39;d</li>0</ul>',
      );
    });

    it('cannot be forged with a public constructor', () => {
      const Forge = SafeHtml as unknown as new (key: unknown, markup: string) => SafeHtml;
      assert.throws(() => new Forge(Symbol('trusted markup'), '<script>'), TypeError);
    });
  });

  describe('messages', () => {
    it('has the same keys in English and Chinese', () => {
      assert.deepEqual(keyPaths(messages.zh), keyPaths(messages.en));
    });

    it('has no empty message', () => {
      for (const lang of LANGS) {
        for (const path of keyPaths(messages[lang])) {
          const value = path
            .split('.')
            .slice(1)
            .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], messages[lang]);
          if (typeof value === 'string') assert.notEqual(value.trim(), '', `${lang}${path}`);
        }
      }
    });
  });
});
