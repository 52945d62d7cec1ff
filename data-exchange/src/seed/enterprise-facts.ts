/**
 * What the seed knows about each enterprise before any randomness: registration facts (fixed,
 * as a registry would hold them) and a trading profile that shapes the generated invoices,
 * utility bills and tax grades. Everything here is fictional demo data; the names of the two
 * SME customers come from service-kit's DEMO_CUSTOMERS, the one roster.
 */

/** Text in Chinese and English. */
export interface Localised {
  zh: string;
  en: string;
}

/** The utilities an enterprise pays for. */
export const UTILITIES = ['electricity', 'water', 'gas'] as const;
export type Utility = (typeof UTILITIES)[number];

/** The unit each utility is metered in. */
export const UTILITY_UNITS: Record<Utility, string> = {
  electricity: 'kWh',
  water: 'm3',
  gas: 'm3',
};

/** Twelve monthly factors, January first, averaging about 1. */
type Seasonality = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/** A city the demo enterprises are registered in, with its utility tariffs and climate. */
export interface City {
  /** GB/T 2260 code of the city, used in the credit codes of its (fictional) utilities. */
  regionCode: string;
  name: Localised;
  /** Commercial tariff per unit, in fen. */
  tariffMinor: Record<Utility, number>;
  /** How consumption swings over the year (air conditioning, heating). */
  seasonality: Record<Utility, Seasonality>;
}

const WATER_SEASONS: Seasonality = [0.9, 0.8, 0.95, 1, 1.05, 1.1, 1.2, 1.2, 1.1, 1, 0.95, 0.9];
const EAST_ELECTRICITY: Seasonality = [
  1.15, 0.85, 0.95, 0.9, 0.95, 1.1, 1.35, 1.4, 1.15, 0.95, 0.95, 1.1,
];
const EAST_GAS: Seasonality = [1.5, 1.2, 1.1, 0.9, 0.8, 0.75, 0.7, 0.7, 0.75, 0.85, 1.05, 1.35];

/** The four cities of the demo data. */
export const CITIES = {
  shanghai: {
    regionCode: '310000',
    name: { zh: '上海', en: 'Shanghai' },
    tariffMinor: { electricity: 78, water: 630, gas: 460 },
    seasonality: { electricity: EAST_ELECTRICITY, water: WATER_SEASONS, gas: EAST_GAS },
  },
  shenzhen: {
    regionCode: '440300',
    name: { zh: '深圳', en: 'Shenzhen' },
    tariffMinor: { electricity: 82, water: 490, gas: 420 },
    seasonality: {
      electricity: [0.9, 0.75, 0.9, 1, 1.15, 1.25, 1.35, 1.35, 1.25, 1.1, 0.95, 0.9],
      water: WATER_SEASONS,
      gas: [1.1, 0.9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.05],
    },
  },
  hangzhou: {
    regionCode: '330100',
    name: { zh: '杭州', en: 'Hangzhou' },
    tariffMinor: { electricity: 80, water: 510, gas: 440 },
    seasonality: { electricity: EAST_ELECTRICITY, water: WATER_SEASONS, gas: EAST_GAS },
  },
  beijing: {
    regionCode: '110000',
    name: { zh: '北京', en: 'Beijing' },
    tariffMinor: { electricity: 85, water: 950, gas: 390 },
    seasonality: {
      electricity: [1.1, 0.85, 0.9, 0.9, 1, 1.15, 1.3, 1.3, 1.05, 0.95, 1, 1.1],
      water: WATER_SEASONS,
      gas: [1.9, 1.5, 1.2, 0.8, 0.6, 0.55, 0.55, 0.55, 0.6, 0.8, 1.4, 1.8],
    },
  },
} as const satisfies Record<string, City>;

/** What shapes an enterprise's generated figures. */
export interface TradingProfile {
  /** Sales (excluding VAT) of an average month in January 2024, in fen. */
  monthlySalesMinor: number;
  /** Yearly growth of sales, 0.1 = 10 %. */
  annualGrowth: number;
  /** The trade's year: Spring Festival dips, harvests, year-end project acceptance. */
  seasonality: Seasonality;
  averageSalesInvoiceMinor: number;
  /** VAT rate on sales: 6 % services, 9 % agricultural products, 13 % goods. */
  outputVatRate: number;
  /** Purchases as a share of sales. */
  purchaseRatio: number;
  /** Blended VAT rate on purchases (goods, services and transport mixed). */
  inputVatRate: number;
  averagePurchaseInvoiceMinor: number;
  /** Relative likelihood of each tax credit grade in a year after the first. */
  taxGradeWeights: Readonly<Partial<Record<'A' | 'B' | 'C' | 'D', number>>>;
  /** Typical monthly consumption per utility, in its unit. */
  monthlyUsage: Record<Utility, number>;
  /** Share of utility bills paid after the due date. */
  latePaymentRate: number;
}

/** One enterprise's registration facts and trading profile. */
export interface EnterpriseFacts {
  /** Only for enterprises that are not demo customers; customers' names come from the roster. */
  name?: Localised;
  legalRepresentative: Localised;
  registeredCapitalMinor: number;
  establishedOn: string;
  enterpriseType: Localised;
  /** GB/T 4754-2017 section letter and four-digit class. */
  industry: Localised & { code: string };
  registeredAddress: Localised;
  registrationAuthority: Localised;
  businessScope: Localised;
  city: keyof typeof CITIES;
  trading: TradingProfile;
}

const PRIVATE_LLC: Localised = {
  zh: '有限责任公司（自然人投资或控股）',
  en: 'Limited liability company (invested or controlled by natural persons)',
};

const SOLE_LLC: Localised = {
  zh: '有限责任公司（自然人独资）',
  en: 'Limited liability company (wholly owned by a natural person)',
};

const SHENZHEN_AMR: Localised = {
  zh: '深圳市市场监督管理局',
  en: 'Shenzhen Administration for Market Regulation',
};

/** Registration facts and profiles by credit code. */
export const ENTERPRISE_FACTS: Readonly<Record<string, EnterpriseFacts>> = {
  // Shanghai Mingyuan Technology (demo customer mingyuan): a growing software house.
  '91310115MA1K4B7DXG': {
    legalRepresentative: { zh: '周明远', en: 'Zhou Mingyuan' },
    registeredCapitalMinor: 10_000_000_00,
    establishedOn: '2018-03-16',
    enterpriseType: PRIVATE_LLC,
    industry: { code: 'I6513', zh: '应用软件开发', en: 'Application software development' },
    registeredAddress: {
      zh: '中国（上海）自由贸易试验区张江路665号3层',
      en: 'Floor 3, No. 665 Zhangjiang Road, China (Shanghai) Pilot Free Trade Zone',
    },
    registrationAuthority: {
      zh: '上海市浦东新区市场监督管理局',
      en: 'Shanghai Pudong New Area Administration for Market Regulation',
    },
    businessScope: {
      zh: '一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；计算机软硬件及辅助设备批发。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
      en: 'General items: technical services, development, consulting, exchange, transfer and promotion; software development; information system integration services; wholesale of computer hardware, software and auxiliary equipment.',
    },
    city: 'shanghai',
    trading: {
      monthlySalesMinor: 1_850_000_00,
      annualGrowth: 0.18,
      seasonality: [0.85, 0.55, 0.95, 0.95, 1, 1.1, 0.95, 0.95, 1.05, 1, 1.1, 1.55],
      averageSalesInvoiceMinor: 42_000_00,
      outputVatRate: 0.06,
      purchaseRatio: 0.42,
      inputVatRate: 0.085,
      averagePurchaseInvoiceMinor: 18_000_00,
      taxGradeWeights: { A: 0.85, B: 0.15 },
      monthlyUsage: { electricity: 28_000, water: 450, gas: 600 },
      latePaymentRate: 0.03,
    },
  },
  // Shenzhen Hefeng Trading (demo customer hefeng): grain wholesale on thin margins.
  '91440305MA5F3C2NX9': {
    legalRepresentative: { zh: '黄志强', en: 'Huang Zhiqiang' },
    registeredCapitalMinor: 5_000_000_00,
    establishedOn: '2019-06-20',
    enterpriseType: PRIVATE_LLC,
    industry: {
      code: 'F5111',
      zh: '谷物、豆及薯类批发',
      en: 'Wholesale of grains, beans and tubers',
    },
    registeredAddress: {
      zh: '深圳市南山区粤海街道科技园社区科苑路15号A座1208',
      en: 'Room 1208, Block A, No. 15 Keyuan Road, Yuehai Subdistrict, Nanshan District, Shenzhen',
    },
    registrationAuthority: SHENZHEN_AMR,
    businessScope: {
      zh: '一般项目：粮食收购；谷物、豆及薯类批发；食用农产品批发；供应链管理服务；国内贸易代理。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
      en: 'General items: grain purchasing; wholesale of grains, beans and tubers; wholesale of edible agricultural products; supply chain management services; domestic trade agency.',
    },
    city: 'shenzhen',
    trading: {
      monthlySalesMinor: 4_600_000_00,
      annualGrowth: 0.08,
      // Stocking up before Spring Festival, wheat in June–July, rice in October–November.
      seasonality: [1.25, 0.6, 0.85, 0.9, 0.95, 1.2, 1.2, 0.95, 1.05, 1.2, 1.15, 1.1],
      averageSalesInvoiceMinor: 65_000_00,
      outputVatRate: 0.09,
      purchaseRatio: 0.91,
      inputVatRate: 0.09,
      averagePurchaseInvoiceMinor: 80_000_00,
      taxGradeWeights: { A: 0.35, B: 0.6, C: 0.05 },
      monthlyUsage: { electricity: 18_000, water: 260, gas: 150 },
      latePaymentRate: 0.12,
    },
  },
  '91310104MA1FL8Q20R': {
    name: { zh: '上海精芯电子有限公司', en: 'Shanghai Jingxin Electronics Co., Ltd.' },
    legalRepresentative: { zh: '刘建国', en: 'Liu Jianguo' },
    registeredCapitalMinor: 20_000_000_00,
    establishedOn: '2016-04-12',
    enterpriseType: PRIVATE_LLC,
    industry: { code: 'C3982', zh: '电子电路制造', en: 'Electronic circuit manufacturing' },
    registeredAddress: {
      zh: '上海市徐汇区虹漕路461号5幢2层',
      en: 'Floor 2, Building 5, No. 461 Hongcao Road, Xuhui District, Shanghai',
    },
    registrationAuthority: {
      zh: '上海市徐汇区市场监督管理局',
      en: 'Shanghai Xuhui District Administration for Market Regulation',
    },
    businessScope: {
      zh: '一般项目：电子元器件制造；电子电路制造；电子产品销售；技术进出口；货物进出口。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
      en: 'General items: manufacture of electronic components; electronic circuit manufacturing; sale of electronic products; import and export of technology and goods.',
    },
    city: 'shanghai',
    trading: {
      monthlySalesMinor: 9_800_000_00,
      annualGrowth: 0.05,
      seasonality: [0.95, 0.6, 1, 1, 1, 1.05, 1, 1.05, 1.1, 1.05, 1.1, 1.1],
      averageSalesInvoiceMinor: 120_000_00,
      outputVatRate: 0.13,
      purchaseRatio: 0.72,
      inputVatRate: 0.13,
      averagePurchaseInvoiceMinor: 55_000_00,
      taxGradeWeights: { A: 0.5, B: 0.45, C: 0.05 },
      monthlyUsage: { electricity: 260_000, water: 3_200, gas: 4_800 },
      latePaymentRate: 0.05,
    },
  },
  '91440300MA5G9R1T7A': {
    name: {
      zh: '深圳捷运通供应链管理有限公司',
      en: 'Shenzhen Jieyuntong Supply Chain Management Co., Ltd.',
    },
    legalRepresentative: { zh: '吴晓东', en: 'Wu Xiaodong' },
    registeredCapitalMinor: 3_000_000_00,
    establishedOn: '2020-09-08',
    enterpriseType: SOLE_LLC,
    industry: { code: 'G5821', zh: '货物运输代理', en: 'Freight forwarding' },
    registeredAddress: {
      zh: '深圳市前海深港合作区前湾一路1号A栋201室',
      en: 'Room 201, Block A, No. 1 Qianwan 1st Road, Qianhai Shenzhen-Hong Kong Cooperation Zone, Shenzhen',
    },
    registrationAuthority: SHENZHEN_AMR,
    businessScope: {
      zh: '一般项目：供应链管理服务；国际货物运输代理；国内货物运输代理；普通货物仓储服务。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
      en: 'General items: supply chain management services; international and domestic freight forwarding; general warehousing services.',
    },
    city: 'shenzhen',
    trading: {
      monthlySalesMinor: 2_300_000_00,
      annualGrowth: 0.1,
      seasonality: [1, 0.65, 0.9, 0.95, 1, 1, 1, 1.05, 1.1, 1.15, 1.25, 1.2],
      averageSalesInvoiceMinor: 15_000_00,
      outputVatRate: 0.06,
      purchaseRatio: 0.8,
      inputVatRate: 0.07,
      averagePurchaseInvoiceMinor: 12_000_00,
      taxGradeWeights: { A: 0.2, B: 0.7, C: 0.1 },
      monthlyUsage: { electricity: 9_000, water: 150, gas: 80 },
      latePaymentRate: 0.15,
    },
  },
  '91330106MA2CD4E53X': {
    name: { zh: '杭州云栖数据科技有限公司', en: 'Hangzhou Yunqi Data Technology Co., Ltd.' },
    legalRepresentative: { zh: '孙静', en: 'Sun Jing' },
    registeredCapitalMinor: 8_000_000_00,
    establishedOn: '2021-05-18',
    enterpriseType: PRIVATE_LLC,
    industry: { code: 'I6450', zh: '互联网数据服务', en: 'Internet data services' },
    registeredAddress: {
      zh: '浙江省杭州市西湖区文三路90号8楼',
      en: '8F, No. 90 Wensan Road, Xihu District, Hangzhou, Zhejiang',
    },
    registrationAuthority: {
      zh: '杭州市西湖区市场监督管理局',
      en: 'Hangzhou Xihu District Administration for Market Regulation',
    },
    businessScope: {
      zh: '一般项目：互联网数据服务；数据处理和存储支持服务；信息技术咨询服务；软件开发。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
      en: 'General items: internet data services; data processing and storage support services; information technology consulting; software development.',
    },
    city: 'hangzhou',
    trading: {
      monthlySalesMinor: 1_200_000_00,
      annualGrowth: 0.25,
      seasonality: [0.9, 0.6, 0.95, 1, 1, 1.05, 0.95, 0.95, 1.05, 1.05, 1.1, 1.4],
      averageSalesInvoiceMinor: 30_000_00,
      outputVatRate: 0.06,
      purchaseRatio: 0.55,
      inputVatRate: 0.09,
      averagePurchaseInvoiceMinor: 25_000_00,
      taxGradeWeights: { A: 0.6, B: 0.4 },
      monthlyUsage: { electricity: 65_000, water: 300, gas: 200 },
      latePaymentRate: 0.04,
    },
  },
  '91110108MA01AB2C3T': {
    name: { zh: '北京智研科技有限公司', en: 'Beijing Zhiyan Technology Co., Ltd.' },
    legalRepresentative: { zh: '马骁', en: 'Ma Xiao' },
    registeredCapitalMinor: 50_000_000_00,
    establishedOn: '2022-03-01',
    enterpriseType: PRIVATE_LLC,
    industry: {
      code: 'M7320',
      zh: '工程和技术研究和试验发展',
      en: 'Research and experimental development in engineering and technology',
    },
    registeredAddress: {
      zh: '北京市海淀区中关村大街27号11层1105',
      en: 'Room 1105, Floor 11, No. 27 Zhongguancun Street, Haidian District, Beijing',
    },
    registrationAuthority: {
      zh: '北京市海淀区市场监督管理局',
      en: 'Beijing Haidian District Administration for Market Regulation',
    },
    businessScope: {
      zh: '一般项目：工程和技术研究和试验发展；技术服务、技术开发、技术咨询、技术转让；检验检测服务。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
      en: 'General items: research and experimental development in engineering and technology; technical services, development, consulting and transfer; inspection and testing services.',
    },
    city: 'beijing',
    trading: {
      monthlySalesMinor: 3_100_000_00,
      annualGrowth: 0.12,
      seasonality: [0.8, 0.55, 0.95, 1, 1, 1.1, 0.95, 0.95, 1.05, 1, 1.1, 1.55],
      averageSalesInvoiceMinor: 150_000_00,
      outputVatRate: 0.06,
      purchaseRatio: 0.5,
      inputVatRate: 0.1,
      averagePurchaseInvoiceMinor: 35_000_00,
      taxGradeWeights: { A: 0.7, B: 0.3 },
      monthlyUsage: { electricity: 42_000, water: 700, gas: 900 },
      latePaymentRate: 0.02,
    },
  },
};
