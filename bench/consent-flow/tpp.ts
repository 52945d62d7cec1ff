import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import type { ClientMetadata } from 'oidc-provider';
import { publicJwk } from '@bund/consent-service/oidc/clients';

/** The one TPP both authorization servers register: ES256 private_key_jwt, DPoP, PAR. */
export interface BenchTpp {
  clientId: string;
  privateJwk: JWK;
  redirectUri: string;
}

export async function newTpp(clientId = 'bench-tpp'): Promise<BenchTpp> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    clientId,
    privateJwk: { ...(await exportJWK(privateKey)), kid: `${clientId}-key`, alg: 'ES256' },
    redirectUri: `https://${clientId}.example/callback`,
  };
}

/** The same registration for both contenders (as Bund's clients file would hold it). */
export function registration(tpp: BenchTpp): ClientMetadata {
  return {
    client_id: tpp.clientId,
    client_name: `${tpp.clientId} app`,
    redirect_uris: [tpp.redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    dpop_bound_access_tokens: true,
    authorization_details_types: ['account_information'],
    jwks: { keys: [publicJwk(tpp.privateJwk)] },
  } as ClientMetadata;
}

/** The authorization_details every flow pushes: an account-information consent for 90 days. */
export function accountInformation(): Record<string, unknown> {
  return {
    type: 'account_information',
    permissions: [
      'ReadAccountsBasic',
      'ReadBalances',
      'ReadTransactionsDetail',
      'ReadTransactionsCredits',
      'ReadTransactionsDebits',
    ],
    expirationDateTime: new Date(Date.now() + 90 * 86_400_000).toISOString(),
  };
}
