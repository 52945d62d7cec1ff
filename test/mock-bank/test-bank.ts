import { INTERNAL_HEADERS } from '@bund/service-kit';
import { buildMockBank } from '@bund/mock-bank/build';
import type { BuildOptions, MockBank } from '@bund/mock-bank/build';

/** A fixed "today", so every run of the suite sees the same seeded bank. */
export const ANCHOR_DATE = '2026-01-15';
export const SEED = 20260101;

export const CREDENTIALS = {
  gateway: 'test-gateway-credential',
  consentService: 'test-consent-service-credential',
} as const;

/** The real mock bank on a throwaway SQLite database, seeded for {@link ANCHOR_DATE}. */
export function buildTestBank(overrides: Partial<BuildOptions> = {}): Promise<MockBank> {
  return buildMockBank({
    databaseUrl: '',
    sqliteFile: ':memory:',
    credentials: CREDENTIALS,
    anchorDate: ANCHOR_DATE,
    seed: SEED,
    cursorKey: 'test-cursor-key',
    ...overrides,
  });
}

/** Headers of a resource call the gateway forwards for `customerId`. */
export function fromGateway(
  customerId = 'cus-0001',
  consentedAccounts?: string,
): Record<string, string> {
  return {
    [INTERNAL_HEADERS.credential]: CREDENTIALS.gateway,
    [INTERNAL_HEADERS.customerId]: customerId,
    ...(consentedAccounts === undefined
      ? {}
      : { [INTERNAL_HEADERS.consentedAccounts]: consentedAccounts }),
  };
}

/** Headers of a call from the consent service. */
export const fromConsentService: Record<string, string> = {
  [INTERNAL_HEADERS.credential]: CREDENTIALS.consentService,
};

/** A problem body without its per-call interaction id, for comparing two refusals. */
export function withoutInteractionId(body: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...body };
  delete rest.interactionId;
  return rest;
}
