import { errors } from 'oidc-provider';
import type { RichAuthorizationRequestType } from 'oidc-provider';
import type { ConsentStore } from '../consents/consent-store.js';
import { InvalidConsentRequest, parseConsentRequest } from '../consents/consent-request.js';
import type { ConsentLimits } from '../consents/consent-request.js';
import type { ConsentType } from '../consents/lifecycle.js';

/** The gateway scope of the other consent type, which a request of this type must not ask for. */
const OTHER_TYPE_SCOPE: Record<ConsentType, string> = {
  account_information: 'credit_data',
  credit_data_sharing: 'accounts',
};

export type AuthorizationDetailTypes = Record<string, RichAuthorizationRequestType>;

/**
 * The `authorization_details` types a TPP may push (RFC 9396). A detail either asks for a new
 * consent (validated exactly as the consent API validates it) or names one the TPP created
 * through the consent API with `consent_id`, which must be its own and still awaiting
 * authorisation.
 */
export function authorizationDetailTypes(
  store: ConsentStore,
  limits: ConsentLimits,
): AuthorizationDetailTypes {
  const validator = (type: ConsentType) => ({
    async validate(
      ctx: { oidc?: { params?: Record<string, unknown> } },
      detail: Record<string, unknown>,
      client: { clientId: string },
    ) {
      // One request, one consent: the customer decides one thing at a time.
      const all = JSON.parse(String(ctx.oidc?.params?.authorization_details ?? '[]')) as unknown[];
      if (all.length !== 1)
        throw new errors.InvalidAuthorizationDetails(
          'exactly one authorization_details entry is allowed per request',
        );
      // The token's scope must fit the consent, or the grant could never satisfy the request.
      const foreign = String(ctx.oidc?.params?.scope ?? '')
        .split(' ')
        .find((scope) => scope === OTHER_TYPE_SCOPE[type]);
      if (foreign) {
        throw new errors.InvalidScope(
          `scope ${foreign} does not fit authorization_details of type ${type}`,
          foreign,
        );
      }
      if ('consent_id' in detail) {
        const members = Object.keys(detail).filter((k) => k !== 'type' && k !== 'consent_id');
        if (members.length > 0) {
          throw new errors.InvalidAuthorizationDetails(
            `a detail with consent_id must not also carry ${members.join(', ')}`,
          );
        }
        const consent =
          typeof detail.consent_id === 'string' ? await store.find(detail.consent_id) : undefined;
        // The same answer for another TPP's consent as for none: no hint that it exists.
        if (!consent || consent.clientId !== client.clientId || consent.type !== type) {
          throw new errors.InvalidAuthorizationDetails(
            'consent_id does not name a consent of this client and type',
          );
        }
        if (consent.status !== 'AwaitingAuthorisation') {
          throw new errors.InvalidAuthorizationDetails(
            `consent ${consent.id} is ${consent.status}, not AwaitingAuthorisation`,
          );
        }
        return;
      }
      try {
        parseConsentRequest(detail, client.clientId, limits);
      } catch (error) {
        if (error instanceof InvalidConsentRequest)
          throw new errors.InvalidAuthorizationDetails(`authorization_details ${error.message}`);
        throw error;
      }
    },
  });
  return {
    account_information: validator('account_information'),
    credit_data_sharing: validator('credit_data_sharing'),
  };
}
