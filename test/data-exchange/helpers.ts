import { DEMO_CUSTOMERS, INTERNAL_HEADERS } from '@bund/service-kit';
import { buildDataExchange } from '@bund/data-exchange/build';
import type { BuildOptions, DataExchange } from '@bund/data-exchange/build';

/** The credentials the test services accept (gateway) and refuse (consent service). */
export const GATEWAY_CREDENTIAL = 'test-gateway-credential-0123456789';
export const CONSENT_SERVICE_CREDENTIAL = 'test-consent-service-credential-0123456789';

/** The anchor date the spec's examples were generated with. */
export const ANCHOR_DATE = '2026-01-02';

/** The data exchange on a fresh SQLite `:memory:` database, seeded with the default seed. */
export function buildTestService(options: Partial<BuildOptions> = {}): Promise<DataExchange> {
  return buildDataExchange({
    credentials: { gateway: GATEWAY_CREDENTIAL, consentService: CONSENT_SERVICE_CREDENTIAL },
    seedAnchorDate: ANCHOR_DATE,
    ...options,
  });
}

/** A demo customer by login name. */
export function customer(username: string) {
  const found = DEMO_CUSTOMERS.find((c) => c.username === username);
  if (!found) throw new Error(`no demo customer ${username}`);
  return found;
}

/** The headers the gateway sends when `username` is the consenting customer. */
export function asCustomer(username: string): Record<string, string> {
  return {
    [INTERNAL_HEADERS.credential]: GATEWAY_CREDENTIAL,
    [INTERNAL_HEADERS.customerId]: customer(username).id,
  };
}

/** Mingyuan's credit code, the enterprise of the spec examples. */
export const MINGYUAN = customer('mingyuan').creditCode!;
/** Hefeng's credit code: an enterprise of another customer. */
export const HEFENG = customer('hefeng').creditCode!;
