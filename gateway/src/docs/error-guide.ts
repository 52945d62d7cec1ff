import type { ErrorCode } from '@bund/service-kit';

/** What a TPP developer needs to know about one error code. */
export interface ErrorGuideEntry {
  /** The HTTP status it comes with. */
  status: number;
  category: ErrorCategory;
  /** What happened, in the TPP's terms. */
  meaning: string;
  /** What the TPP should do about it. */
  action: string;
}

export type ErrorCategory = 'request' | 'token' | 'consent' | 'limits' | 'availability';

export const ERROR_CATEGORIES: Record<ErrorCategory, string> = {
  request: 'The request itself',
  token: 'Access token and DPoP proof',
  consent: 'The customer’s consent',
  limits: 'Rate limits',
  availability: 'Availability and failures',
};

/**
 * Every `code` a Bund resource API answers in its `application/problem+json` body. Keyed by
 * the closed union `ErrorCode`, so a new code does not typecheck until it is documented here;
 * the developer portal renders the table from this.
 */
export const ERROR_GUIDE: Record<ErrorCode, ErrorGuideEntry> = {
  invalid_parameter: {
    status: 400,
    category: 'request',
    meaning:
      'A path or query parameter, or a body field, is malformed or out of range (a date that is not a date, a limit above the maximum, fromBookingDate after toBookingDate). errors[] names each one.',
    action:
      'Fix the value errors[].parameter names, following the API reference. Do not retry unchanged.',
  },
  unknown_parameter: {
    status: 400,
    category: 'request',
    meaning: 'The request has a query parameter (or body member) the operation does not define.',
    action:
      'Remove it; detail lists the parameters the operation takes. Misspelt parameters are refused rather than ignored.',
  },
  malformed_body: {
    status: 400,
    category: 'request',
    meaning: 'The request body is not valid JSON, or could not be read.',
    action: 'Send a well-formed JSON object as the body.',
  },
  malformed_request: {
    status: 400,
    category: 'request',
    meaning:
      'The request is not valid HTTP/1.1 (a malformed request line or header), so it was refused before any other check.',
    action: 'Fix the HTTP client or proxy that built the request; do not retry unchanged.',
  },
  headers_too_large: {
    status: 431,
    category: 'request',
    meaning:
      'The request’s headers are larger than Bund accepts (16 kB in all), refused before any other check: usually a stray cookie or a header sent twice.',
    action:
      'Send only the headers the API needs: Authorization, DPoP, Accept and the FAPI headers.',
  },
  payload_too_large: {
    status: 413,
    category: 'request',
    meaning: 'The request body is larger than the operation accepts (16 kB for the consent API).',
    action: 'Send a smaller body; nothing was created.',
  },
  unsupported_media_type: {
    status: 415,
    category: 'request',
    meaning:
      'The body is not application/json, or a body was sent to an operation that takes none (every GET).',
    action: 'Send Content-Type: application/json, or no body at all for a GET.',
  },
  not_found: {
    status: 404,
    category: 'request',
    meaning:
      'No such resource or operation: an unknown path, or a consent that does not exist or belongs to another TPP.',
    action: 'Check the path against the API reference and the id you used. Do not retry unchanged.',
  },
  method_not_allowed: {
    status: 405,
    category: 'request',
    meaning: 'The path exists, but not with this HTTP method.',
    action: 'Use one of the methods the Allow header lists.',
  },
  unauthorized: {
    status: 401,
    category: 'token',
    meaning:
      'Credentials are missing or not accepted. Bund’s internal service-to-service APIs answer this; the TPP APIs answer invalid_token instead.',
    action: 'Treat it as invalid_token: get a new access token and send it with a DPoP proof.',
  },
  invalid_credentials: {
    status: 401,
    category: 'token',
    meaning:
      'A login name or password was wrong. Only the bank’s internal login check answers this; a TPP never handles customer passwords.',
    action: 'Nothing for a TPP to do: customers log in on the bank’s own pages.',
  },
  invalid_token: {
    status: 401,
    category: 'token',
    meaning:
      'The access token is missing, not sent as Authorization: DPoP <token>, expired (tokens live 5 minutes by default), signed by another issuer, for another audience, or not DPoP-bound. WWW-Authenticate carries the reason.',
    action:
      'Refresh the access token with the refresh token (same DPoP key) and repeat the call once. If the refresh fails with invalid_grant, ask the customer to authorise again.',
  },
  invalid_dpop_proof: {
    status: 401,
    category: 'token',
    meaning:
      'The DPoP proof is missing, malformed, signed by a key other than the token’s, for another method or URL (htm, htu), older than 60 s, reused (jti), or its ath is not the hash of this token.',
    action:
      'Make a fresh proof for every call: htm = the method, htu = the exact URL without query, iat = now, a new jti, ath = base64url(SHA-256(token)), signed with the key the token is bound to. Check your clock.',
  },
  forbidden: {
    status: 403,
    category: 'token',
    meaning:
      'The token is valid but lacks the scope the operation needs (the consent API needs scope consents).',
    action:
      'Request a client-credentials token with scope=consents and resource=<issuer>/consents for the consent API.',
  },
  consent_revoked: {
    status: 403,
    category: 'consent',
    meaning:
      'The consent was revoked: by the customer, or by the TPP itself through the consent API. Every token issued under it is refused from that moment.',
    action:
      'Stop calling with this consent and delete what it no longer covers; ask the customer to authorise again if they still want the service.',
  },
  consent_expired: {
    status: 403,
    category: 'consent',
    meaning: 'The consent reached its expirationDateTime.',
    action: 'Ask the customer to authorise a new consent.',
  },
  consent_not_authorised: {
    status: 403,
    category: 'consent',
    meaning:
      'The token’s consent is not (or no longer) Authorised: it was rejected, is still awaiting the customer, or is unknown.',
    action:
      'Do not retry. Read the consent’s status with the consent API; start a new authorisation if needed.',
  },
  consent_status_unknown: {
    status: 503,
    category: 'consent',
    meaning:
      'The gateway cannot check the consent’s status right now, so it refuses the call rather than risk serving a revoked consent.',
    action: 'Retry after Retry-After seconds, with a fresh DPoP proof.',
  },
  permission_missing: {
    status: 403,
    category: 'consent',
    meaning:
      'The consent does not grant a permission this operation needs (its x-permissions in the API reference).',
    action:
      'Ask for that permission in the next authorisation; do not retry with this consent. detail names the permission.',
  },
  account_not_consented: {
    status: 403,
    category: 'consent',
    meaning:
      'The account in the path is not one the customer chose on the consent screen (or does not exist: the answer is the same).',
    action:
      'Use only the account ids from the token response’s authorization_details[0].accounts or GET /accounts.',
  },
  enterprise_not_consented: {
    status: 403,
    category: 'consent',
    meaning: 'The credit code in the path is not the enterprise the consent covers.',
    action: 'Use the creditCode from the granted authorization_details[0].subject.',
  },
  rate_limited: {
    status: 429,
    category: 'limits',
    meaning:
      'Your client is calling faster than its limit: one allowance per client_id, by default 50 calls per second with bursts of 100.',
    action: 'Wait Retry-After seconds, then slow down; spread batch jobs out.',
  },
  internal_error: {
    status: 500,
    category: 'availability',
    meaning: 'Something failed on our side. It has been logged with the interaction id.',
    action:
      'Retry later with backoff. If it persists, contact support with the x-fapi-interaction-id.',
  },
  service_unavailable: {
    status: 503,
    category: 'availability',
    meaning:
      'A Bund service cannot serve the call right now (for example the gateway cannot fetch the keys that check access tokens).',
    action: 'Retry after Retry-After seconds.',
  },
  upstream_error: {
    status: 502,
    category: 'availability',
    meaning:
      'The bank or the data exchange answered something the gateway could not pass on. It has been logged.',
    action:
      'Retry later with backoff; report the x-fapi-interaction-id if it keeps happening for the same call.',
  },
  upstream_unavailable: {
    status: 503,
    category: 'availability',
    meaning:
      'The bank or the data exchange cannot be reached, or is failing so often that the gateway stopped calling it for a moment.',
    action: 'Retry after Retry-After seconds.',
  },
  upstream_timeout: {
    status: 504,
    category: 'availability',
    meaning: 'The bank or the data exchange did not answer in time.',
    action:
      'Retry with backoff; for transactions, a narrower date range or a smaller limit answers faster.',
  },
};

/** The errors of the OAuth endpoints (PAR, token) a TPP should expect, in OAuth's own format. */
export const OAUTH_ERRORS: readonly { error: string; where: string; action: string }[] = [
  {
    error: 'invalid_grant',
    where: 'token (refresh)',
    action:
      'The refresh token no longer works: the consent was revoked (by the customer or the TPP), it expired, or the code was already used. Ask the customer to connect again (a new PAR).',
  },
  {
    error: 'invalid_grant',
    where: 'token (code)',
    action:
      'The code expired (60 s), was already used, the code_verifier / redirect_uri does not ' +
      'match the PAR, or the token request carries no DPoP proof (error_description “grant ' +
      'request is invalid”: tokens are always DPoP-bound). Without a proof, retry within the ' +
      '60 s with one (the code is not used up); otherwise start the authorisation again.',
  },
  {
    error: 'invalid_client',
    where: 'PAR, token',
    action:
      'The client assertion was refused: aud must be exactly the issuer, at most 300 s between iat and exp, a new jti, and signed with a key (kid) and alg your registration names.',
  },
  {
    error: 'invalid_dpop_proof',
    where: 'PAR, token',
    action:
      'Send a fresh DPoP proof for that endpoint: htm POST, htu the endpoint URL, a new jti, signed with your DPoP key.',
  },
  {
    error: 'use_dpop_nonce',
    where: 'PAR, token',
    action:
      'Repeat the request with a new proof whose nonce claim is the value of the DPoP-Nonce response header.',
  },
  {
    error: 'invalid_authorization_details',
    where: 'PAR',
    action:
      'The error_description names the field: an unknown permission, an expirationDateTime in the past or too far away, more than one entry, or a consent_id that is not yours or not awaiting authorisation.',
  },
  {
    error: 'invalid_scope',
    where: 'PAR',
    action:
      'Ask for scope accounts with account_information and credit_data with credit_data_sharing (plus openid), never the other.',
  },
  {
    error: 'invalid_request',
    where: 'PAR, token',
    action:
      'A parameter is missing or not allowed, for example PKCE (code_challenge with code_challenge_method=S256 is required). error_description says which.',
  },
  {
    // oidc-provider's PAR endpoint remaps invalid_redirect_uri to invalid_request: say what comes.
    error: 'invalid_request',
    where: 'PAR',
    action:
      "error_description “redirect_uri did not match any of the client's registered " +
      'redirect_uris”: the redirect_uri must be exactly one of the redirect_uris of your ' +
      'registration.',
  },
  {
    error: 'access_denied',
    where: 'your redirect_uri',
    action:
      'The customer refused, or abandoned the consent screen. Tell them nothing was shared; offer to try again.',
  },
];
