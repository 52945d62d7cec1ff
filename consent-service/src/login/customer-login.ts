import type { Request, Response } from 'express';
import type { Logger } from '@bund/service-kit';
import { BankUnavailable } from '../bank/bank-client.js';
import type { Bank, BankCustomer } from '../bank/bank-client.js';
import type { ConsentMetrics } from '../metrics.js';
import type { LoginThrottle } from './login-throttle.js';

const MAX_USERNAME_LENGTH = 128;

/** Why a login did not succeed, as the login page words it. */
export type LoginError =
  'missing_fields' | 'invalid_credentials' | 'too_many_attempts' | 'bank_unavailable';

export type LoginOutcome =
  { customer: BankCustomer } | { error: LoginError; status: number; retryAfterSeconds?: number };

/**
 * The customer's login, the same at the consent screen and the dashboard: the bank checks the
 * password; a login name or address with too many recent attempts is not even asked about.
 */
export class CustomerLogin {
  constructor(
    private readonly bank: Bank,
    private readonly throttle: LoginThrottle,
    private readonly metrics: ConsentMetrics,
    private readonly logger: Logger,
  ) {}

  /**
   * The login form of a page (consent screen or dashboard), checked: the login name as typed
   * (to show it again), and the outcome. A pause sets `Retry-After` on the response.
   */
  async checkForm(req: Request, res: Response): Promise<{ username: string } & LoginOutcome> {
    const body = req.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const outcome = await this.check(username, password, req.ip ?? '');
    if ('retryAfterSeconds' in outcome && outcome.retryAfterSeconds)
      res.set('Retry-After', String(outcome.retryAfterSeconds));
    return { username, ...outcome };
  }

  async check(username: string, password: string, address: string): Promise<LoginOutcome> {
    if (!username || !password) return { error: 'missing_fields', status: 400 };
    // Counted before the bank is asked, so parallel guesses cannot all slip through.
    const waitMs = await this.throttle.attempt(username, address);
    if (waitMs > 0) {
      this.metrics.loginFailures.inc({ reason: 'too_many_attempts' });
      return {
        error: 'too_many_attempts',
        status: 429,
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      };
    }
    // No login name is this long; the bank would refuse to look it up at all.
    if (username.length > MAX_USERNAME_LENGTH) {
      this.metrics.loginFailures.inc({ reason: 'invalid_credentials' });
      return { error: 'invalid_credentials', status: 401 };
    }
    let customer: BankCustomer | undefined;
    try {
      customer = await this.bank.authenticate(username, password);
    } catch (error) {
      if (!(error instanceof BankUnavailable)) throw error;
      // Not the customer's failure: the attempt is given back.
      await this.throttle.release(username, address, false);
      this.logger.error({ err: error }, 'login check failed: bank unavailable');
      this.metrics.loginFailures.inc({ reason: 'bank_unavailable' });
      return { error: 'bank_unavailable', status: 503 };
    }
    if (!customer) {
      this.metrics.loginFailures.inc({ reason: 'invalid_credentials' });
      return { error: 'invalid_credentials', status: 401 };
    }
    await this.throttle.release(username, address, true);
    return { customer };
  }
}
