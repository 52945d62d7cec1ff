import { INTERNAL_HEADERS } from '@bund/service-kit';

/** Text in both languages the consent screen speaks. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** A bank customer as mock-bank's internal API describes them. */
export interface BankCustomer {
  customerId: string;
  kind: 'retail' | 'sme';
  name: Bilingual;
  creditCode?: string;
}

/** One account as shown in the consent screen's account chooser. */
export interface BankAccount {
  id: string;
  type: 'current' | 'savings' | 'credit_card';
  currency: string;
  nickname: Bilingual;
  maskedNumber: string;
  productName: Bilingual;
}

/** mock-bank did not answer as expected: a technical failure, never a wrong password. */
export class BankUnavailable extends Error {}

/** The consent service's view of the bank: login check and the customer's accounts. */
export interface Bank {
  /** The customer, or undefined when the login name or password is wrong (indistinguishably). */
  authenticate(username: string, password: string): Promise<BankCustomer | undefined>;
  customer(customerId: string): Promise<BankCustomer>;
  accounts(customerId: string): Promise<BankAccount[]>;
}

/** Calls mock-bank's internal API with the consent service's internal credential. */
export function createBankClient(baseUrl: string, credential: string, timeoutMs = 5000): Bank {
  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(`${baseUrl}${path}`, {
        ...init,
        headers: {
          ...init.headers,
          [INTERNAL_HEADERS.credential]: credential,
          accept: 'application/json',
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new BankUnavailable(`mock-bank unreachable: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  async function data<T>(response: Response, what: string): Promise<T> {
    if (!response.ok) throw new BankUnavailable(`mock-bank answered ${response.status} to ${what}`);
    return ((await response.json()) as { data: T }).data;
  }
  return {
    async authenticate(username, password) {
      const response = await call('/internal/customers/authenticate', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (response.status === 401) return undefined;
      return data<BankCustomer>(response, 'authenticate');
    },
    async customer(customerId) {
      const found = await data<{
        id: string;
        kind: BankCustomer['kind'];
        name: Bilingual;
        creditCode?: string;
      }>(await call(`/internal/customers/${encodeURIComponent(customerId)}`), 'customer');
      return {
        customerId: found.id,
        kind: found.kind,
        name: found.name,
        ...(found.creditCode ? { creditCode: found.creditCode } : {}),
      };
    },
    async accounts(customerId) {
      return data<BankAccount[]>(
        await call(`/internal/customers/${encodeURIComponent(customerId)}/accounts`),
        'accounts',
      );
    },
  };
}
