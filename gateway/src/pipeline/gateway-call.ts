import type { Response } from 'express';
import type { AccessTokenClaims, GrantedDetail } from '../auth/access-token-verifier.js';
import type { Route } from '../routing/route-table.js';

/** What the steps of one call learn, in order; each step adds its part. */
export interface GatewayCall {
  route: Route;
  params: Record<string, string>;
  /** The raw access token (for the DPoP `ath` check); never logged. */
  accessToken?: string;
  claims?: AccessTokenClaims;
  detail?: GrantedDetail;
  /** Granted permissions, with what they imply. */
  granted?: ReadonlySet<string>;
  /** The query the backend gets (the TPP's, validated, then clamped to the consent). */
  query?: Record<string, string>;
  /** Why the call was refused, for the denial metric. */
  denial?: 'token' | 'dpop' | 'consent' | 'permission' | 'account' | 'rate' | 'request';
}

export function callOf(res: Response): GatewayCall {
  return res.locals.call as GatewayCall;
}
