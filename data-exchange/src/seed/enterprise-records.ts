import {
  addDays,
  addMonths,
  dayOfMonth,
  monthNumber,
  monthOf,
  monthsBefore,
  monthsBetween,
  yearOf,
} from '../calendar.js';
import { CREDIT_CODE_CHARSET, generateCreditCode } from '../credit-code.js';
import { CITIES, UTILITIES, UTILITY_UNITS } from './enterprise-facts.js';
import type { EnterpriseFacts, Localised, Utility } from './enterprise-facts.js';
import { randomFor } from './random.js';

/** What every generator needs: the seed and "today". */
export interface SeedInput {
  seed: number;
  /** `YYYY-MM-DD`; the records cover the 24 whole months before its month. */
  anchorDate: string;
}

/** How many months of invoices and utility bills the exchange holds. */
export const HISTORY_MONTHS = 24;

/** Growth is measured from a fixed month, so a month's figures do not move with the anchor. */
const GROWTH_BASE_MONTH = '2024-01';

/** Day of the month after the billing month on which each utility's bill falls due. */
const DUE_DAY: Record<Utility, number> = { electricity: 15, water: 20, gas: 25 };

/** Tax credit grades are published in April for the year before. */
const TAX_GRADE_PUBLISHED = '04-15';

/** A row of `enterprises`: an enterprise's registration facts and its owner, if a customer. */
export interface EnterpriseRow {
  credit_code: string;
  customer_id: string | null;
  name_zh: string;
  name_en: string;
  legal_representative_zh: string;
  legal_representative_en: string;
  registered_capital_minor: number;
  established_on: string;
  status: string;
  enterprise_type_zh: string;
  enterprise_type_en: string;
  industry_code: string;
  industry_name_zh: string;
  industry_name_en: string;
  registered_address_zh: string;
  registered_address_en: string;
  registration_authority_zh: string;
  registration_authority_en: string;
  business_scope_zh: string;
  business_scope_en: string;
}

/** The registry row of an enterprise; every demo enterprise is in operation (存续). */
export function enterpriseRow(
  creditCode: string,
  name: Localised,
  customerId: string | null,
  facts: EnterpriseFacts,
): EnterpriseRow {
  return {
    credit_code: creditCode,
    customer_id: customerId,
    name_zh: name.zh,
    name_en: name.en,
    legal_representative_zh: facts.legalRepresentative.zh,
    legal_representative_en: facts.legalRepresentative.en,
    registered_capital_minor: facts.registeredCapitalMinor,
    established_on: facts.establishedOn,
    status: 'in_operation',
    enterprise_type_zh: facts.enterpriseType.zh,
    enterprise_type_en: facts.enterpriseType.en,
    industry_code: facts.industry.code,
    industry_name_zh: facts.industry.zh,
    industry_name_en: facts.industry.en,
    registered_address_zh: facts.registeredAddress.zh,
    registered_address_en: facts.registeredAddress.en,
    registration_authority_zh: facts.registrationAuthority.zh,
    registration_authority_en: facts.registrationAuthority.en,
    business_scope_zh: facts.businessScope.zh,
    business_scope_en: facts.businessScope.en,
  };
}

/** A row of `tax_grades`: one published yearly grade. */
export interface TaxGradeRow {
  credit_code: string;
  year: number;
  grade: string;
  evaluated_on: string;
}

/**
 * Up to five published yearly grades. The year an enterprise was founded is graded M (new
 * taxpayer), as the tax bureau does; later years draw from the enterprise's profile.
 */
export function taxGradeRows(
  { seed, anchorDate }: SeedInput,
  creditCode: string,
  facts: EnterpriseFacts,
): TaxGradeRow[] {
  const anchorYear = yearOf(anchorDate);
  const latest =
    anchorDate >= `${anchorYear}-${TAX_GRADE_PUBLISHED}` ? anchorYear - 1 : anchorYear - 2;
  const founded = yearOf(facts.establishedOn);
  const grades = Object.entries(facts.trading.taxGradeWeights);
  const rows: TaxGradeRow[] = [];
  for (let year = Math.max(founded, latest - 4); year <= latest; year++) {
    const grade =
      year === founded
        ? 'M'
        : randomFor(seed, 'tax-grade', creditCode, year).pick(
            grades.map(([g]) => g),
            grades.map(([, w]) => w),
          );
    rows.push({
      credit_code: creditCode,
      year,
      grade,
      evaluated_on: `${year + 1}-${TAX_GRADE_PUBLISHED}`,
    });
  }
  return rows;
}

/** A row of `invoice_months`: one month's issued and received invoice totals, in fen. */
export interface InvoiceMonthRow {
  credit_code: string;
  month: string;
  issued_count: number;
  issued_amount_minor: number;
  issued_tax_minor: number;
  received_count: number;
  received_amount_minor: number;
  received_tax_minor: number;
}

/**
 * Monthly VAT invoice totals: sales follow the trade's seasons and a steady growth, purchases
 * follow sales at the trade's margin, and VAT is the trade's rate on the amount excluding tax.
 */
export function invoiceMonthRows(
  { seed, anchorDate }: SeedInput,
  creditCode: string,
  facts: EnterpriseFacts,
): InvoiceMonthRow[] {
  const t = facts.trading;
  return monthsBefore(anchorDate, HISTORY_MONTHS)
    .filter((month) => month >= monthOf(facts.establishedOn))
    .map((month) => {
      const random = randomFor(seed, 'invoices', creditCode, month);
      const growth = (1 + t.annualGrowth) ** (monthsBetween(GROWTH_BASE_MONTH, month) / 12);
      const seasonal = t.seasonality[monthNumber(month) - 1]!;
      const sales = Math.round(
        t.monthlySalesMinor * growth * seasonal * random.between(0.88, 1.12),
      );
      const purchases = Math.round(sales * t.purchaseRatio * random.between(0.85, 1.15));
      const count = (amount: number, average: number) =>
        Math.max(1, Math.round((amount / average) * random.between(0.8, 1.2)));
      return {
        credit_code: creditCode,
        month,
        issued_count: count(sales, t.averageSalesInvoiceMinor),
        issued_amount_minor: sales,
        issued_tax_minor: Math.round(sales * t.outputVatRate),
        received_count: count(purchases, t.averagePurchaseInvoiceMinor),
        received_amount_minor: purchases,
        received_tax_minor: Math.round(purchases * t.inputVatRate),
      };
    });
}

/** A row of `utility_accounts`: who supplies an enterprise with a utility. */
export interface UtilityAccountRow {
  credit_code: string;
  utility: Utility;
  provider_name_zh: string;
  provider_name_en: string;
  provider_credit_code: string;
  unit: string;
}

const PROVIDER_NAMES: Record<Utility, Localised> = {
  electricity: { zh: '城市供电有限公司', en: 'Urban Power Supply Co., Ltd.' },
  water: { zh: '城市供水有限公司', en: 'Urban Water Supply Co., Ltd.' },
  gas: { zh: '城市燃气有限公司', en: 'Urban Gas Co., Ltd.' },
};

/**
 * The enterprise's utility accounts. The providers are fictional city utilities, one per city
 * and utility, whose credit codes the seed generates (so they pass the GB 32100 checks).
 */
export function utilityAccountRows(
  { seed }: SeedInput,
  creditCode: string,
  facts: EnterpriseFacts,
): UtilityAccountRow[] {
  const city = CITIES[facts.city];
  return UTILITIES.map((utility) => {
    const random = randomFor(seed, 'utility-provider', facts.city, utility);
    const organisationBody = Array.from(
      { length: 8 },
      () => CREDIT_CODE_CHARSET[random.int(0, CREDIT_CODE_CHARSET.length - 1)],
    ).join('');
    return {
      credit_code: creditCode,
      utility,
      provider_name_zh: `${city.name.zh}${PROVIDER_NAMES[utility].zh}`,
      provider_name_en: `${city.name.en} ${PROVIDER_NAMES[utility].en}`,
      provider_credit_code: generateCreditCode({ regionCode: city.regionCode, organisationBody }),
      unit: UTILITY_UNITS[utility],
    };
  });
}

/** A row of `utility_bills`: one month's bill for one utility and how it was paid. */
export interface UtilityBillRow {
  credit_code: string;
  utility: Utility;
  month: string;
  usage_quantity: number;
  amount_minor: number;
  due_date: string;
  paid_date: string | null;
  status: 'paid_on_time' | 'paid_late' | 'unpaid';
}

/**
 * One bill per utility and month, due in the following month. Consumption follows the city's
 * climate; a bill whose payment would fall after the anchor date is still unpaid.
 */
export function utilityBillRows(
  { seed, anchorDate }: SeedInput,
  creditCode: string,
  facts: EnterpriseFacts,
): UtilityBillRow[] {
  const city = CITIES[facts.city];
  const rows: UtilityBillRow[] = [];
  for (const month of monthsBefore(anchorDate, HISTORY_MONTHS)) {
    if (month < monthOf(facts.establishedOn)) continue;
    for (const utility of UTILITIES) {
      const random = randomFor(seed, 'utility-bill', creditCode, utility, month);
      const seasonal = city.seasonality[utility][monthNumber(month) - 1]!;
      const usage = Math.max(
        1,
        Math.round(facts.trading.monthlyUsage[utility] * seasonal * random.between(0.9, 1.1)),
      );
      const dueDate = dayOfMonth(addMonths(month, 1), DUE_DAY[utility]);
      const late = random.chance(facts.trading.latePaymentRate);
      const paidDate = late
        ? addDays(dueDate, random.int(3, 45))
        : addDays(dueDate, -random.int(0, 12));
      const paid = paidDate <= anchorDate;
      rows.push({
        credit_code: creditCode,
        utility,
        month,
        usage_quantity: usage,
        amount_minor: usage * city.tariffMinor[utility],
        due_date: dueDate,
        paid_date: paid ? paidDate : null,
        status: !paid ? 'unpaid' : late ? 'paid_late' : 'paid_on_time',
      });
    }
  }
  return rows;
}
