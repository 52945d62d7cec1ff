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
  /** The customer's accounts; `fresh` skips any cache (for decisions, not for display). */
  accounts(customerId: string, options?: { fresh?: boolean }): Promise<BankAccount[]>;
}

/**
 * Remembers customers and their accounts for a short while: one authorization journey shows
 * them on several pages, and asking the bank each time costs it more than everything else.
 * A successful login primes the customer. Decisions ask with `fresh`.
 */
export function withShortMemory(bank: Bank, ttlMs = 30_000, maxEntries = 10_000): Bank {
  const customers = new Map<string, { at: number; value: Promise<BankCustomer> }>();
  const accounts = new Map<string, { at: number; value: Promise<BankAccount[]> }>();
  function remembered<T>(
    map: Map<string, { at: number; value: Promise<T> }>,
    key: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const hit = map.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    if (map.size >= maxEntries) map.clear();
    const value = load();
    map.set(key, { at: Date.now(), value });
    // A failure is not remembered: the next page asks again.
    value.catch(() => map.delete(key));
    return value;
  }
  return {
    async authenticate(username, password) {
      const customer = await bank.authenticate(username, password);
      if (customer)
        customers.set(customer.customerId, { at: Date.now(), value: Promise.resolve(customer) });
      return customer;
    },
    customer: (customerId) => remembered(customers, customerId, () => bank.customer(customerId)),
    accounts: (customerId, options) => {
      if (!options?.fresh) return remembered(accounts, customerId, () => bank.accounts(customerId));
      const value = bank.accounts(customerId);
      accounts.set(customerId, { at: Date.now(), value });
      value.catch(() => accounts.delete(customerId));
      return value;
    },
  };
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
