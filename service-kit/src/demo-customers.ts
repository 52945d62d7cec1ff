/**
 * The demo customers of the sandbox. mock-bank seeds them as bank customers, data-exchange
 * links its credit records to them, and `npm start` prints their logins: one list, so the
 * three cannot drift apart. Public demo data only; nothing here is a secret.
 */

export type CustomerKind = 'retail' | 'sme';

export interface DemoCustomer {
  /** The bank's customer id, also the `sub` the consent service issues. */
  id: string;
  /** Online-banking login name. */
  username: string;
  kind: CustomerKind;
  nameZh: string;
  nameEn: string;
  /** Unified social credit code (GB 32100) of an SME customer's enterprise. */
  creditCode?: string;
}

/** The password of every demo login; printed by `npm start`. */
export const DEMO_PASSWORD = 'bund-demo-2026';

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = Object.freeze([
  { id: 'cus-0001', username: 'zhangwei', kind: 'retail', nameZh: '张伟', nameEn: 'Zhang Wei' },
  { id: 'cus-0002', username: 'lina', kind: 'retail', nameZh: '李娜', nameEn: 'Li Na' },
  { id: 'cus-0003', username: 'wangfang', kind: 'retail', nameZh: '王芳', nameEn: 'Wang Fang' },
  { id: 'cus-0004', username: 'chenjie', kind: 'retail', nameZh: '陈杰', nameEn: 'Chen Jie' },
  {
    id: 'cus-0101',
    username: 'mingyuan',
    kind: 'sme',
    nameZh: '上海明远科技有限公司',
    nameEn: 'Shanghai Mingyuan Technology Co., Ltd.',
    creditCode: '91310115MA1K4B7DXG',
  },
  {
    id: 'cus-0102',
    username: 'hefeng',
    kind: 'sme',
    nameZh: '深圳禾丰贸易有限公司',
    nameEn: 'Shenzhen Hefeng Trading Co., Ltd.',
    creditCode: '91440305MA5F3C2NX9',
  },
]);

/**
 * Valid credit codes of enterprises that are not bank customers (trading partners in the
 * demo data). They exist at the data exchange, so a consent naming one must be refused by
 * ownership, not by a missing record.
 */
export const OTHER_ENTERPRISE_CREDIT_CODES: readonly string[] = Object.freeze([
  '91310104MA1FL8Q20R',
  '91440300MA5G9R1T7A',
  '91330106MA2CD4E53X',
  '91110108MA01AB2C3T',
]);
