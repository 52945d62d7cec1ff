import { Router } from 'express';
import type { RequestHandler } from 'express';
import type { Knex } from '@bund/service-kit';
import { ApiError, parseParams, parseQuery, z } from '@bund/service-kit';
import { accountsOfCustomer } from '../accounts/account-store.js';
import { accountSummary } from '../accounts/account-view.js';
import { jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { parseBody } from '../middleware/parse-body.js';
import { CUSTOMER_ID_PATTERN } from './customer-id.js';
import { customerById, customerByUsername } from './customer-store.js';
import { customerProfile } from './customer-view.js';
import { verifyPassword } from './password-hash.js';

const credentials = z
  .object({
    username: z
      .string({ error: 'is required and must be a string' })
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters'),
    password: z
      .string({ error: 'is required and must be a string' })
      .min(1, 'must not be empty')
      .max(1024, 'must be at most 1024 characters'),
  })
  .strict();

const customerIdParam = {
  customerId: z.string().regex(CUSTOMER_ID_PATTERN, 'must be a customer id like cus-0001'),
};

/** What the internal customer routes are built from. */
export interface CustomerRouteDependencies {
  db: Knex;
  /** Refuses every caller but the consent service. */
  consentServiceOnly: RequestHandler;
  /** Checked for unknown usernames so that they take as long as a wrong password. */
  dummyHash: string;
}

/** The internal customer API the consent service uses for login and the consent screen. */
export function customerRouter({
  db,
  consentServiceOnly,
  dummyHash,
}: CustomerRouteDependencies): Router {
  const router = Router();

  router.post(
    '/internal/customers/authenticate',
    operation('authenticateCustomer'),
    consentServiceOnly,
    ...jsonBody,
    async (req, res) => {
      parseQuery({}, req.query);
      const { username, password } = parseBody(credentials, req.body);
      const customer = await customerByUsername(db, username);
      // Always run one scrypt check, so an unknown username costs the same time as a wrong password.
      const matches = await verifyPassword(password, customer?.password_hash ?? dummyHash);
      if (!customer || !matches) {
        throw new ApiError(401, 'invalid_credentials', 'The username or password is not correct.');
      }
      const profile = customerProfile(customer);
      res.set('Cache-Control', 'no-store').json({
        data: {
          customerId: profile.id,
          kind: profile.kind,
          name: profile.name,
          ...(profile.creditCode ? { creditCode: profile.creditCode } : {}),
        },
      });
    },
  );

  router.get(
    '/internal/customers/:customerId',
    operation('getCustomer'),
    consentServiceOnly,
    async (req, res) => {
      const { customerId } = parseParams(customerIdParam, req.params);
      parseQuery({}, req.query);
      const customer = await customerById(db, customerId);
      if (!customer) throw ApiError.notFound(`No customer ${customerId}.`);
      res.set('Cache-Control', 'no-store').json({ data: customerProfile(customer) });
    },
  );

  router.get(
    '/internal/customers/:customerId/accounts',
    operation('listCustomerAccounts'),
    consentServiceOnly,
    async (req, res) => {
      const { customerId } = parseParams(customerIdParam, req.params);
      parseQuery({}, req.query);
      const customer = await customerById(db, customerId);
      if (!customer) throw ApiError.notFound(`No customer ${customerId}.`);
      const accounts = await accountsOfCustomer(db, customer.id);
      res.set('Cache-Control', 'no-store').json({ data: accounts.map(accountSummary) });
    },
  );

  return router;
}
