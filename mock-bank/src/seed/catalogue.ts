import { createHash } from 'node:crypto';

/**
 * The names the seeded statements are made of: real-looking Chinese merchants with their MCC,
 * and the payers and payees of transfers. Public demo data; none of it is a real account.
 */

/** What a transaction is for; the spec lists the same values. */
export type Category =
  | 'opening_balance'
  | 'salary'
  | 'groceries'
  | 'dining'
  | 'food_delivery'
  | 'coffee'
  | 'shopping'
  | 'home'
  | 'transport'
  | 'fuel'
  | 'travel'
  | 'entertainment'
  | 'health_beauty'
  | 'clothing'
  | 'electronics'
  | 'subscriptions'
  | 'utilities'
  | 'telecom'
  | 'rent'
  | 'transfer'
  | 'interest'
  | 'card_repayment'
  | 'cash_withdrawal'
  | 'refund'
  | 'fees'
  | 'sales_receipt'
  | 'supplier_payment'
  | 'payroll'
  | 'tax'
  | 'social_insurance'
  | 'housing_fund'
  | 'logistics'
  | 'loan_interest';

/** Every category, in the order the spec lists them. */
export const CATEGORIES: readonly Category[] = [
  'opening_balance',
  'salary',
  'groceries',
  'dining',
  'food_delivery',
  'coffee',
  'shopping',
  'home',
  'transport',
  'fuel',
  'travel',
  'entertainment',
  'health_beauty',
  'clothing',
  'electronics',
  'subscriptions',
  'utilities',
  'telecom',
  'rent',
  'transfer',
  'interest',
  'card_repayment',
  'cash_withdrawal',
  'refund',
  'fees',
  'sales_receipt',
  'supplier_payment',
  'payroll',
  'tax',
  'social_insurance',
  'housing_fund',
  'logistics',
  'loan_interest',
];

/** A place where a card is used. */
export interface Merchant {
  name: string;
  /** ISO 18245 merchant category code. */
  mcc: string;
  category: Category;
  /** Typical spend in yuan. */
  min: number;
  max: number;
  /** How often it appears relative to the others. */
  weight: number;
}

/** Everyday card and quick-pay merchants of a retail customer. */
export const RETAIL_MERCHANTS: readonly Merchant[] = [
  { name: '美团外卖', mcc: '5814', category: 'food_delivery', min: 18, max: 95, weight: 16 },
  { name: '饿了么', mcc: '5814', category: 'food_delivery', min: 18, max: 90, weight: 7 },
  { name: '盒马鲜生', mcc: '5411', category: 'groceries', min: 35, max: 420, weight: 9 },
  { name: '永辉超市', mcc: '5411', category: 'groceries', min: 25, max: 360, weight: 5 },
  { name: '山姆会员商店', mcc: '5300', category: 'groceries', min: 150, max: 1200, weight: 2 },
  { name: '全家便利店', mcc: '5499', category: 'groceries', min: 8, max: 60, weight: 6 },
  { name: '京东', mcc: '5399', category: 'shopping', min: 30, max: 2600, weight: 7 },
  { name: '天猫', mcc: '5399', category: 'shopping', min: 25, max: 1800, weight: 5 },
  { name: '拼多多', mcc: '5399', category: 'shopping', min: 9, max: 300, weight: 4 },
  { name: '宜家家居', mcc: '5712', category: 'home', min: 60, max: 3000, weight: 1 },
  { name: '滴滴出行', mcc: '4121', category: 'transport', min: 12, max: 120, weight: 9 },
  { name: '地铁出行', mcc: '4111', category: 'transport', min: 3, max: 10, weight: 6 },
  { name: '中国石化', mcc: '5541', category: 'fuel', min: 180, max: 520, weight: 2 },
  { name: '中国石油', mcc: '5541', category: 'fuel', min: 180, max: 520, weight: 1 },
  { name: '12306中国铁路', mcc: '4112', category: 'travel', min: 55, max: 1100, weight: 2 },
  { name: '携程旅行', mcc: '4722', category: 'travel', min: 260, max: 6800, weight: 1 },
  { name: '华住酒店', mcc: '7011', category: 'travel', min: 280, max: 1500, weight: 1 },
  { name: '海底捞火锅', mcc: '5812', category: 'dining', min: 140, max: 680, weight: 3 },
  { name: '西贝莜面村', mcc: '5812', category: 'dining', min: 90, max: 420, weight: 2 },
  { name: '麦当劳', mcc: '5814', category: 'dining', min: 22, max: 110, weight: 4 },
  { name: '肯德基', mcc: '5814', category: 'dining', min: 22, max: 110, weight: 3 },
  { name: '星巴克', mcc: '5814', category: 'coffee', min: 28, max: 95, weight: 6 },
  { name: '瑞幸咖啡', mcc: '5814', category: 'coffee', min: 9, max: 40, weight: 7 },
  { name: '万达影城', mcc: '7832', category: 'entertainment', min: 45, max: 220, weight: 2 },
  { name: '大麦网', mcc: '7922', category: 'entertainment', min: 180, max: 1680, weight: 1 },
  { name: '屈臣氏', mcc: '5912', category: 'health_beauty', min: 35, max: 380, weight: 3 },
  { name: '老百姓大药房', mcc: '5912', category: 'health_beauty', min: 20, max: 260, weight: 2 },
  { name: '优衣库', mcc: '5651', category: 'clothing', min: 79, max: 900, weight: 2 },
  { name: '华为商城', mcc: '5732', category: 'electronics', min: 199, max: 7999, weight: 1 },
  { name: '小米之家', mcc: '5732', category: 'electronics', min: 49, max: 3999, weight: 1 },
];

/** Monthly subscriptions charged to cards. */
export const SUBSCRIPTIONS: readonly Merchant[] = [
  { name: '爱奇艺', mcc: '4899', category: 'subscriptions', min: 25, max: 25, weight: 1 },
  { name: '腾讯视频', mcc: '4899', category: 'subscriptions', min: 30, max: 30, weight: 1 },
  { name: '网易云音乐', mcc: '4899', category: 'subscriptions', min: 15, max: 15, weight: 1 },
];

/** The national telecom and power companies every household pays. */
export const STATE_GRID: Pick<Merchant, 'name' | 'mcc'> = { name: '国家电网', mcc: '4900' };
export const CHINA_MOBILE: Pick<Merchant, 'name' | 'mcc'> = { name: '中国移动', mcc: '4814' };
export const CHINA_TELECOM: Pick<Merchant, 'name' | 'mcc'> = { name: '中国电信', mcc: '4814' };

/** Logistics companies a trading company ships with. */
export const LOGISTICS: readonly Pick<Merchant, 'name' | 'mcc'>[] = [
  { name: '顺丰速运', mcc: '4215' },
  { name: '德邦物流', mcc: '4214' },
  { name: '中国外运', mcc: '4214' },
  { name: '京东物流', mcc: '4215' },
];

/** Private people who send and receive retail transfers. */
export const PEOPLE: readonly string[] = [
  '张丽',
  '王强',
  '李明',
  '刘洋',
  '陈静',
  '杨帆',
  '赵磊',
  '黄婷',
  '周杰',
  '吴敏',
  '徐鹏',
  '孙悦',
];

/** Surnames and given names for the SME customers' employees. */
export const SURNAMES: readonly string[] = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
];
export const GIVEN_NAMES: readonly string[] = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '浩然',
  '子涵',
  '欣怡',
  '宇轩',
  '梓萱',
  '思远',
];

/** Clients who pay Shanghai Mingyuan Technology (software and services). */
export const MINGYUAN_CLIENTS: readonly string[] = [
  '上海浦江数据服务有限公司',
  '杭州云帆信息技术有限公司',
  '苏州工业园区博远智能制造有限公司',
  '南京金陵医药连锁有限公司',
  '上海申通物流科技有限公司',
  '宁波港城国际贸易有限公司',
  '无锡华晟新能源有限公司',
  '上海静安区人民医院',
  '合肥智链电子科技有限公司',
  '上海临港智造产业园管理有限公司',
];

/** Suppliers of Shanghai Mingyuan Technology. */
export const MINGYUAN_SUPPLIERS: readonly string[] = [
  '阿里云计算有限公司',
  '腾讯云计算（北京）有限责任公司',
  '上海联通信息服务有限公司',
  '上海迅达人力资源服务有限公司',
  '上海华讯网络设备有限公司',
  '北京金山办公软件股份有限公司',
  '上海齐心办公用品有限公司',
  '上海锦江商旅服务有限公司',
];

/** Buyers of Shenzhen Hefeng Trading (distributors and shops). */
export const HEFENG_BUYERS: readonly string[] = [
  '广州天河优品商贸有限公司',
  '东莞市恒信百货有限公司',
  '佛山市顺德区美家电器商行',
  '长沙湘江连锁超市有限公司',
  '厦门鹭岛进出口有限公司',
  '成都蓉城优选贸易有限公司',
  '深圳市南山区鑫源便利店',
  '武汉江城日用品批发有限公司',
  '南宁东盟商贸城有限公司',
  '昆明滇池百货有限公司',
  '惠州市大亚湾家居有限公司',
  '珠海横琴跨境电商有限公司',
];

/** Factories and wholesalers that supply Shenzhen Hefeng Trading. */
export const HEFENG_SUPPLIERS: readonly string[] = [
  '东莞市长安五金制品有限公司',
  '广州白云日化有限公司',
  '佛山市南海纺织品有限公司',
  '中山市小榄灯饰厂',
  '汕头市澄海玩具实业有限公司',
  '义乌市商城进出口有限公司',
  '潮州市枫溪陶瓷有限公司',
  '深圳市宝安区包装材料有限公司',
];

/**
 * The last four digits of a counterparty's account, derived from its name so one payee shows the
 * same masked number on every statement line, whatever the seed.
 */
export function maskedCounterpartyAccount(name: string): string {
  const hash = createHash('sha256').update(name).digest();
  return `**** ${String(hash.readUInt32BE(0) % 10_000).padStart(4, '0')}`;
}
