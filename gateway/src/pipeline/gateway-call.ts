import type { Response } from 'express';
import type { AccessTokenClaims, GrantedDetail } from '../auth/access-token-verifier.js';
import type { ConsentWindow } from '../routing/response-filter.js';
import type { Route } from '../routing/route-table.js';
import type { UpstreamFailure } from '../upstream/backend-client.js';

/** Why the gateway refused a call: the `reason` label of the denial metric. */
export const DENIAL_REASONS = [
  'token',
  'dpop',
  'consent',
  'permission',
  'account',
  'rate',
  'request',
] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

/** What the steps of one call learn, in order; each step adds its part. */
export interface GatewayCall {
  route: Route;
  params: Record<string, string>;
  /** The access token's hash, which the DPoP proof's `ath` must carry. */
  accessTokenHash?: string;
  claims?: AccessTokenClaims;
  detail?: GrantedDetail;
  /**
   * The caller proved it holds the token's key (its DPoP proof passed): only then is the call
   * the TPP's, and recorded as such for the customer.
   */
  proofVerified?: true;
  /** Granted permissions, with what they imply. */
  granted?: ReadonlySet<string>;
  /** The query the backend gets (the TPP's, validated, then clamped to the consent). */
  query?: Record<string, string>;
  /** The consent's transaction window, to the instant, for the answer's list items. */
  consentWindow?: ConsentWindow;
  /** Why the call was refused, for the denial metric. */
  denial?: DenialReason;
  /** The backend call, once made (for the access log and the status page). */
  upstream?: UpstreamOutcome;
}

/** How the backend call of one gateway call went. */
export interface UpstreamOutcome {
  backend: string;
  /** The backend's status, when it answered. */
  status?: number;
  /** Why the call failed, when it did. */
  failure?: UpstreamFailure | 'invalid_response';
  durationMs: number;
}

export function callOf(res: Response): GatewayCall {
  return res.locals.call as GatewayCall;
}
