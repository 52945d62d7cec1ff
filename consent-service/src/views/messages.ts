/**
 * Every word the consent pages show, in English and Chinese. `en` defines the shape and `zh`
 * must match it, so a message missing in one language fails typecheck instead of showing a
 * blank on the consent screen. Permission texts are not here: they come from
 * specs/permissions.yaml through the view.
 *
 * Sentences that name the TPP take the name as an argument so each language can put it where
 * its grammar wants it (and Chinese can quote it in 「」).
 */

import { html, type SafeHtml } from '@bund/service-kit/html';
import type {
  AccountView,
  ConsentEventView,
  ConsentSummaryView,
  ErrorView,
  Lang,
  LoginView,
  ReviewView,
  SelectAccountsView,
} from './view-models.js';

type ConsentStatus = ConsentSummaryView['status'];
type ConsentType = ConsentSummaryView['type'];
type NamedActor = Exclude<ConsentEventView['actor'], 'tpp'>;

/** Reason codes of consent events (consents/lifecycle.ts `REASONS`), each put in words. */
export type ReasonCode =
  | 'created'
  | 'customer_authorised'
  | 'customer_refused'
  | 'customer_revoked'
  | 'tpp_revoked'
  | 'bank_revoked'
  | 'expired'
  | 'abandoned'
  | 'technical_failure';

/** operationIds of specs/accounts.yaml and specs/credit-data.yaml, for the data-access list. */
export type OperationId =
  | 'listAccounts'
  | 'getAccount'
  | 'getAccountBalances'
  | 'listAccountTransactions'
  | 'getEnterpriseProfile'
  | 'listEnterpriseTaxGrades'
  | 'listEnterpriseInvoiceSummaries'
  | 'listEnterpriseUtilityPayments'
  | 'getPersonalCreditSummary';

/** Data-access outcomes put in words; any other value is shown as recorded. */
export type AccessOutcome = 'allowed' | 'refused' | 'failed';

interface ErrorPageText {
  title: string;
  body: string;
}

const en = {
  bankName: 'Bund Bank',
  /** The brand in the other language, shown small beside the main one. */
  bankNameOther: '本德银行',
  skipToContent: 'Skip to main content',
  languageSwitch: 'Language',
  signedInAs: (name: string) => `Signed in as ${name}`,
  logout: 'Log out',
  footerSandbox: 'Bund Bank open banking sandbox. Demo data only: no real accounts or money.',
  footerSafety: 'Bund Bank will never ask for your password inside another app.',
  titleSeparator: ' · ',

  tppLogoAlt: (tpp: string) => `${tpp} logo`,
  askingAccess: (tpp: string) => `${tpp} is asking to access your data`,
  stepOf: (step: number, total: number) => `Step ${step} of ${total}`,

  loginTitle: 'Log in to Bund Bank',
  loginIntroAuthorise: (tpp: string) =>
    `Log in to choose what ${tpp} can see. Bund Bank never shares your login details with ${tpp}.`,
  loginDashboardTitle: 'Log in to manage connected apps',
  loginIntroDashboard: 'See and manage the apps you have allowed to access your accounts.',
  usernameLabel: 'Login name',
  passwordLabel: 'Password',
  loginButton: 'Log in',
  requestSummary: (tpp: string) => `What ${tpp} is asking for`,

  alertTitle: 'There is a problem',
  loginErrors: {
    invalid_credentials:
      'The login name or password is not right. Please check them and try again.',
    bank_unavailable:
      'We cannot reach Bund Bank right now, so you cannot log in. Please try again in a few minutes.',
    missing_fields: 'Please enter both your login name and your password.',
    too_many_attempts:
      'There have been too many failed attempts to log in. To protect your account, logging in is paused for a few minutes. Please try again later.',
  } satisfies Record<NonNullable<LoginView['error']>, string>,
  selectErrors: {
    no_account_selected: 'Please choose at least one account, or select “Don’t allow access”.',
    unknown_account: 'One of the accounts you chose is not available. Please choose again.',
  } satisfies Record<NonNullable<SelectAccountsView['error']>, string>,
  reviewErrors: {
    subject_mismatch:
      'The credit data this app asked for does not belong to you, so it cannot be shared. Please refuse this request.',
  } satisfies Record<NonNullable<ReviewView['error']>, string>,

  permissionsHeading: (tpp: string) => `What ${tpp} will be able to see`,
  permissionsHeadingDetail: 'What this access covers',
  detailsHeading: 'Details of this access',
  typeLabel: 'Type of access',
  consentType: {
    account_information: 'Account information',
    credit_data_sharing: 'Credit data sharing',
  } satisfies Record<ConsentType, string>,
  dataPeriodLabel: 'Transactions covered',
  dataPeriodAll: 'All available history',
  dataPeriodRange: (from: string, to: string) => `From ${from} to ${to}`,
  dataPeriodFrom: (from: string) => `From ${from} onwards`,
  dataPeriodTo: (to: string) => `Up to ${to}`,
  expiresLabel: 'Access until',
  purposeLabel: 'Purpose given by the app',
  subjectLabel: 'Whose data',
  creditCodeLabel: 'Unified social credit code',
  subjectIndividual: (name: string) => `${name} (you, personally)`,
  withdrawNote: (link: SafeHtml) => html`You can withdraw this access at any time in ${link}.`,
  dashboardLink: 'your consent dashboard',

  selectTitle: 'Choose accounts',
  selectLegend: (tpp: string) => `Which accounts can ${tpp} see?`,
  selectHint: (tpp: string) => `${tpp} will only see the accounts you choose.`,
  accountType: {
    current: 'Current account',
    savings: 'Savings account',
    credit_card: 'Credit card',
  } satisfies Record<AccountView['type'], string>,
  continueButton: 'Continue',
  refuseButton: 'Don’t allow access',
  refuseHint: (tpp: string) => `${tpp} gets no access and you go back to ${tpp}.`,

  reviewTitle: 'Review and confirm',
  reviewIntro: (tpp: string) =>
    `Please check the details. ${tpp} gets access only when you select “Allow access”.`,
  accountsHeading: 'Accounts you are sharing',
  listSeparator: ', ',
  accountsHeadingDetail: 'Accounts shared',
  changeAccounts: 'Change accounts',
  approveButton: 'Allow access',

  errorPages: {
    session_expired: {
      title: 'Your session has ended',
      body: 'For your security, sessions end after a short time. Please go back to the app and start again.',
    },
    not_found: {
      title: 'We cannot find that page',
      body: 'The link may be old or mistyped. Please go back to the app, or to your consent dashboard.',
    },
    bank_unavailable: {
      title: 'Bund Bank is temporarily unavailable',
      body: 'We cannot reach our banking systems right now. Nothing has been shared. Please try again in a few minutes.',
    },
    bad_request: {
      title: 'This request is not valid',
      body: 'The link or form you used was incomplete or not valid. Nothing has been shared. Please go back to the app and try again.',
    },
    server_error: {
      title: 'Something went wrong on our side',
      body: 'We could not finish this step, and nothing has been shared. Please try again later.',
    },
    csrf: {
      title: 'This form has expired',
      body: 'For your security we could not accept this form. Please go back, reload the page and try again.',
    },
    authorization_link_expired: {
      title: 'This link has expired',
      body: 'For your security, the link an app opens to Bund Bank works only for a short time and only once. This one has expired or was already used, and nothing has been shared. Please go back to the app and start again.',
    },
    authorization_refused: {
      title: 'This request cannot go ahead',
      body: 'Bund Bank could not accept the request the app sent, so nothing has been shared. Please go back to the app and start again. If it happens again, contact the app’s support and give them the error code below.',
    },
  } satisfies Record<ErrorView['error'], ErrorPageText>,
  errorCode: (status: number, code?: string) =>
    code === undefined ? `Error code ${status}` : `Error code ${status} (${code})`,
  continueLink: 'Continue',

  dashboardTitle: 'Connected apps',
  dashboardIntro:
    'These apps can see data from your Bund Bank accounts because you allowed it. You can revoke their access at any time.',
  activeHeading: 'Active access',
  pastHeading: 'Past access',
  activeEmpty: 'No app can access your data right now.',
  pastEmpty: 'There is no past access to show.',
  revokedNotice: 'Access revoked. The app can no longer read your data.',
  createdLabel: 'Requested',
  endedLabel: 'Ended',
  statusChangedLabel: 'Last change',
  viewDetails: 'View details',
  status: {
    AwaitingAuthorisation: 'Awaiting your approval',
    Authorised: 'Authorised',
    Rejected: 'Refused',
    Revoked: 'Revoked',
    Expired: 'Expired',
  } satisfies Record<ConsentStatus, string>,
  statusLabel: 'Status',
  overviewHeading: 'Overview',

  detailTitle: (tpp: string) => `Access for ${tpp}`,
  backToDashboard: 'Back to connected apps',
  dataAccessHeading: 'Data access',
  dataAccessIntro: (tpp: string, days: number) =>
    `Each time ${tpp} reads your data, it is listed here. Each entry is kept for ${days} ${days === 1 ? 'day' : 'days'}, then deleted.`,
  dataAccessEmpty: 'No data access has been recorded yet.',
  dataAccessShowing: (first: number, last: number, total: number) =>
    `Showing entries ${first}–${last} of ${total}, newest first.`,
  dataAccessPages: 'More data access entries',
  dataAccessNewer: 'Newer entries',
  dataAccessOlder: 'Older entries',
  timeColumn: 'Time (China time)',
  operationColumn: 'What was read',
  resourcesColumn: 'Accounts or records',
  malformedResource: 'something that is not an account or record id',
  outcomeColumn: 'Result',
  operations: {
    listAccounts: 'List of accounts',
    getAccount: 'Account details',
    getAccountBalances: 'Balances',
    listAccountTransactions: 'Transactions',
    getEnterpriseProfile: 'Enterprise registration facts',
    listEnterpriseTaxGrades: 'Tax credit grades',
    listEnterpriseInvoiceSummaries: 'Monthly invoice totals',
    listEnterpriseUtilityPayments: 'Utility payment records',
    getPersonalCreditSummary: 'Personal credit summary',
  } satisfies Record<OperationId, string>,
  outcomes: {
    allowed: 'Allowed',
    refused: 'Refused',
    failed: 'Failed',
  } satisfies Record<AccessOutcome, string>,
  historyHeading: 'History',
  changeColumn: 'Status change',
  reasonColumn: 'Reason',
  actorColumn: 'By',
  historyNew: 'New request',
  reason: {
    created: 'The app asked for access',
    customer_authorised: 'You allowed access',
    customer_refused: 'You refused access',
    customer_revoked: 'You revoked access',
    tpp_revoked: 'The app ended its access',
    bank_revoked: 'Bund Bank ended the access',
    expired: 'The access reached its end date',
    abandoned: 'The request was not completed in time',
    technical_failure: 'A technical problem stopped the request',
  } satisfies Record<ReasonCode, string>,
  actor: {
    customer: 'You',
    bank: 'Bund Bank',
    system: 'Automatic (Bund Bank systems)',
  } satisfies Record<NamedActor, string>,
  revokeButton: 'Revoke access',
  revokeHint: (tpp: string) => `Stop ${tpp} from reading your data.`,

  revokeTitle: (tpp: string) => `Revoke access for ${tpp}?`,
  revokeBody: (tpp: string) =>
    `It stops ${tpp} from reading your data immediately. To connect again later, you would start from ${tpp}.`,
  revokeKeptData: (tpp: string) =>
    `${tpp} may keep data it has already received. To ask for it to be deleted, contact ${tpp}.`,
  confirmRevoke: 'Yes, revoke access',
  cancelRevoke: 'No, keep access',
};

/** The shape every language must fill. */
export type Messages = typeof en;

const zh: Messages = {
  bankName: '本德银行',
  bankNameOther: 'Bund Bank',
  skipToContent: '跳到主要内容',
  languageSwitch: '语言',
  signedInAs: (name) => `当前登录：${name}`,
  logout: '退出登录',
  footerSandbox: '本德银行开放银行沙箱环境，仅含演示数据，不涉及真实账户或资金。',
  footerSafety: '本德银行绝不会在其他应用中向您索取密码。',
  titleSeparator: ' · ',

  tppLogoAlt: (tpp) => `「${tpp}」标志`,
  askingAccess: (tpp) => `「${tpp}」请求访问您的数据`,
  stepOf: (step, total) => `第 ${step} 步，共 ${total} 步`,

  loginTitle: '登录本德银行',
  loginIntroAuthorise: (tpp) =>
    `登录后，由您决定「${tpp}」可以查看哪些信息。本德银行绝不会向「${tpp}」透露您的登录信息。`,
  loginDashboardTitle: '登录以管理已授权的应用',
  loginIntroDashboard: '查看和管理您已允许访问账户的第三方应用。',
  usernameLabel: '登录名',
  passwordLabel: '密码',
  loginButton: '登录',
  requestSummary: (tpp) => `「${tpp}」申请的内容`,

  alertTitle: '出现了问题',
  loginErrors: {
    invalid_credentials: '登录名或密码不正确，请检查后重试。',
    bank_unavailable: '暂时无法连接本德银行，因此无法登录。请几分钟后再试。',
    missing_fields: '请输入登录名和密码。',
    too_many_attempts: '登录失败次数过多。为保护您的账户安全，登录已暂停几分钟，请稍后再试。',
  },
  selectErrors: {
    no_account_selected: '请至少选择一个账户，或选择“拒绝授权”。',
    unknown_account: '您选择的某个账户不可用，请重新选择。',
  },
  reviewErrors: {
    subject_mismatch: '该应用请求的信用数据不属于您，因此无法共享。请拒绝此请求。',
  },

  permissionsHeading: (tpp) => `「${tpp}」将可以查看`,
  permissionsHeadingDetail: '授权范围',
  detailsHeading: '授权详情',
  typeLabel: '授权类型',
  consentType: {
    account_information: '账户信息',
    credit_data_sharing: '信用数据共享',
  },
  dataPeriodLabel: '交易记录范围',
  dataPeriodAll: '全部可查询的历史记录',
  dataPeriodRange: (from, to) => `${from}至${to}`,
  dataPeriodFrom: (from) => `${from}起`,
  dataPeriodTo: (to) => `截至${to}`,
  expiresLabel: '授权有效期至',
  purposeLabel: '应用说明的用途',
  subjectLabel: '数据所属',
  creditCodeLabel: '统一社会信用代码',
  subjectIndividual: (name) => `${name}（您本人）`,
  withdrawNote: (link) => html`您可以随时在${link}撤销此授权。`,
  dashboardLink: '授权管理页面',

  selectTitle: '选择账户',
  selectLegend: (tpp) => `允许「${tpp}」查看哪些账户？`,
  selectHint: (tpp) => `「${tpp}」只能查看您选择的账户。`,
  accountType: {
    current: '活期账户',
    savings: '储蓄账户',
    credit_card: '信用卡',
  },
  continueButton: '继续',
  refuseButton: '拒绝授权',
  refuseHint: (tpp) => `「${tpp}」将不会获得任何访问权限，您将返回「${tpp}」。`,

  reviewTitle: '确认授权',
  reviewIntro: (tpp) => `请核对以下信息。只有在您选择“同意授权”后，「${tpp}」才能访问。`,
  accountsHeading: '您将共享的账户',
  listSeparator: '、',
  accountsHeadingDetail: '共享的账户',
  changeAccounts: '更改账户',
  approveButton: '同意授权',

  errorPages: {
    session_expired: {
      title: '您的会话已结束',
      body: '为保障安全，会话会在一段时间后自动结束。请返回应用重新开始。',
    },
    not_found: {
      title: '找不到该页面',
      body: '链接可能已过期或有误。请返回应用，或前往授权管理页面。',
    },
    bank_unavailable: {
      title: '本德银行暂时无法访问',
      body: '暂时无法连接银行系统，您的数据没有被共享。请几分钟后再试。',
    },
    bad_request: {
      title: '请求无效',
      body: '您使用的链接或表单不完整或无效，您的数据没有被共享。请返回应用重试。',
    },
    server_error: {
      title: '我们这边出了问题',
      body: '此步骤未能完成，您的数据没有被共享。请稍后再试。',
    },
    csrf: {
      title: '表单已失效',
      body: '为保障安全，我们无法接受此表单。请返回并刷新页面后重试。',
    },
    authorization_link_expired: {
      title: '链接已失效',
      body: '为保障安全，应用打开本德银行的链接只在短时间内有效，且只能使用一次。此链接已过期或已被使用，您的数据没有被共享。请返回应用重新开始。',
    },
    authorization_refused: {
      title: '无法继续此请求',
      body: '本德银行无法接受该应用发来的请求，您的数据没有被共享。请返回应用重新开始。如果问题仍然存在，请联系该应用的客服，并提供下方的错误代码。',
    },
  },
  errorCode: (status, code) =>
    code === undefined ? `错误代码 ${status}` : `错误代码 ${status}（${code}）`,
  continueLink: '继续',

  dashboardTitle: '已授权的应用',
  dashboardIntro:
    '以下第三方应用经您允许，可以查看您在本德银行账户中的数据。您可以随时撤销它们的访问授权。',
  activeHeading: '有效授权',
  pastHeading: '历史授权',
  activeEmpty: '目前没有应用可以访问您的数据。',
  pastEmpty: '暂无历史授权记录。',
  revokedNotice: '授权已撤销，该应用已无法读取您的数据。',
  createdLabel: '申请日期',
  endedLabel: '结束日期',
  statusChangedLabel: '最近变更',
  viewDetails: '查看详情',
  status: {
    AwaitingAuthorisation: '等待您授权',
    Authorised: '已授权',
    Rejected: '已拒绝',
    Revoked: '已撤销',
    Expired: '已过期',
  },
  statusLabel: '状态',
  overviewHeading: '概览',

  detailTitle: (tpp) => `「${tpp}」的访问授权`,
  backToDashboard: '返回已授权的应用',
  dataAccessHeading: '数据访问记录',
  dataAccessIntro: (tpp, days) =>
    `「${tpp}」每次读取您的数据，都会记录在这里。每条记录保留 ${days} 天，到期后自动删除。`,
  dataAccessEmpty: '暂无数据访问记录。',
  dataAccessShowing: (first, last, total) =>
    `共 ${total} 条记录（从新到旧），当前显示第 ${first}–${last} 条。`,
  dataAccessPages: '更多数据访问记录',
  dataAccessNewer: '较新的记录',
  dataAccessOlder: '更早的记录',
  timeColumn: '时间（北京时间）',
  operationColumn: '读取内容',
  resourcesColumn: '涉及账户或记录',
  malformedResource: '非账户或记录编号的内容',
  outcomeColumn: '结果',
  operations: {
    listAccounts: '账户列表',
    getAccount: '账户详情',
    getAccountBalances: '账户余额',
    listAccountTransactions: '交易记录',
    getEnterpriseProfile: '企业登记信息',
    listEnterpriseTaxGrades: '纳税信用等级',
    listEnterpriseInvoiceSummaries: '月度发票汇总',
    listEnterpriseUtilityPayments: '水电燃气缴费记录',
    getPersonalCreditSummary: '个人信用概要',
  },
  outcomes: {
    allowed: '已允许',
    refused: '已拒绝',
    failed: '未成功',
  },
  historyHeading: '变更记录',
  changeColumn: '状态变化',
  reasonColumn: '原因',
  actorColumn: '操作方',
  historyNew: '新请求',
  reason: {
    created: '应用发起了访问请求',
    customer_authorised: '您同意了授权',
    customer_refused: '您拒绝了授权',
    customer_revoked: '您撤销了授权',
    tpp_revoked: '应用终止了访问',
    bank_revoked: '本德银行终止了授权',
    expired: '授权已到期',
    abandoned: '请求未在规定时间内完成',
    technical_failure: '因技术问题，请求未能完成',
  },
  actor: {
    customer: '您本人',
    bank: '本德银行',
    system: '系统自动',
  },
  revokeButton: '撤销授权',
  revokeHint: (tpp) => `停止「${tpp}」读取您的数据。`,

  revokeTitle: (tpp) => `撤销「${tpp}」的访问授权？`,
  revokeBody: (tpp) =>
    `撤销后，「${tpp}」将立即无法读取您的数据。如以后需要重新连接，请在「${tpp}」中重新发起。`,
  revokeKeptData: (tpp) => `「${tpp}」可能保留已获取的数据。如需删除，请联系「${tpp}」。`,
  confirmRevoke: '确认撤销',
  cancelRevoke: '不，保留授权',
};

/** All messages by language. */
export const messages: Readonly<Record<Lang, Messages>> = Object.freeze({ en, zh });
