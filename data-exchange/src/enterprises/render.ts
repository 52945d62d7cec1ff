import { money } from '../money.js';
import type { EnterpriseRow, InvoiceMonthRow, TaxGradeRow } from '../seed/enterprise-records.js';
import type { UtilityBillWithAccount } from './enterprise-store.js';

/** How each registration status reads in Chinese and English. */
const STATUS_TEXT: Record<string, { zh: string; en: string }> = {
  in_operation: { zh: '存续', en: 'In operation' },
};

/** The enterprise's registration facts as the API shows them. */
export function renderEnterprise(row: EnterpriseRow) {
  return {
    creditCode: row.credit_code,
    name: { zh: row.name_zh, en: row.name_en },
    legalRepresentative: { zh: row.legal_representative_zh, en: row.legal_representative_en },
    registeredCapital: money(row.registered_capital_minor),
    establishedOn: row.established_on,
    status: {
      code: row.status,
      ...(STATUS_TEXT[row.status] ?? { zh: row.status, en: row.status }),
    },
    enterpriseType: { zh: row.enterprise_type_zh, en: row.enterprise_type_en },
    industry: { code: row.industry_code, zh: row.industry_name_zh, en: row.industry_name_en },
    registeredAddress: { zh: row.registered_address_zh, en: row.registered_address_en },
    registrationAuthority: {
      zh: row.registration_authority_zh,
      en: row.registration_authority_en,
    },
    businessScope: { zh: row.business_scope_zh, en: row.business_scope_en },
  };
}

/** One year's tax credit grade. */
export function renderTaxGrade(row: TaxGradeRow) {
  return { year: Number(row.year), grade: row.grade, evaluatedOn: row.evaluated_on };
}

/** One month's issued (sales) and received (purchase) invoice totals. */
export function renderInvoiceMonth(row: InvoiceMonthRow) {
  return {
    month: row.month,
    issued: {
      count: Number(row.issued_count),
      amountExcludingTax: money(row.issued_amount_minor),
      taxAmount: money(row.issued_tax_minor),
    },
    received: {
      count: Number(row.received_count),
      amountExcludingTax: money(row.received_amount_minor),
      taxAmount: money(row.received_tax_minor),
    },
  };
}

/** One utility bill and how it was paid. */
export function renderUtilityBill(row: UtilityBillWithAccount) {
  return {
    utility: row.utility,
    month: row.month,
    provider: {
      name: { zh: row.provider_name_zh, en: row.provider_name_en },
      creditCode: row.provider_credit_code,
    },
    usage: { quantity: Number(row.usage_quantity), unit: row.unit },
    billAmount: money(row.amount_minor),
    dueDate: row.due_date,
    paidDate: row.paid_date,
    status: row.status,
  };
}
