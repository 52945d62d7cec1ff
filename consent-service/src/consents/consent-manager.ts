import type Provider from 'oidc-provider';
import type { Logger } from '@bund/service-kit';
import type { ConsentMetrics } from '../metrics.js';
import type { Consent } from './consent.js';
import { TransitionConflict } from './consent-store.js';
import type { ConsentRequest, ConsentStore, TransitionChanges } from './consent-store.js';
import type { Actor, ConsentStatus, Reason } from './lifecycle.js';

/**
 * Consent transitions with their consequences: every transition is counted, and a consent
 * that ends (revoked, expired) takes its grant and every token issued under it along.
 */
export class ConsentManager {
  constructor(
    readonly store: ConsentStore,
    private readonly provider: Provider,
    private readonly metrics: ConsentMetrics,
    private readonly logger: Logger,
  ) {}

  /** Creates a consent awaiting the customer (from the consent API or a pushed request). */
  async create(request: ConsentRequest, actor: Actor): Promise<Consent> {
    const consent = await this.store.create(request, actor);
    this.metrics.transitions.inc({ type: consent.type, status: consent.status, reason: 'created' });
    return consent;
  }

  async transition(
    id: string,
    to: ConsentStatus,
    reason: Reason,
    actor: Actor,
    changes?: TransitionChanges,
  ): Promise<Consent> {
    const consent = await this.store.transition(id, to, reason, actor, changes);
    this.metrics.transitions.inc({ type: consent.type, status: to, reason });
    if (to === 'Revoked' || to === 'Expired') await this.revokeGrant(id);
    this.logger.info(
      { consentId: id, clientId: consent.clientId, status: to, reason, actor },
      'consent status changed',
    );
    return consent;
  }

  /**
   * Ends the grant of a consent and every refresh token, code and stored access token issued
   * under it. (JWT access tokens are not stored; the gateway refuses them through the consent's
   * status, which it learns from the change feed.)
   */
  async revokeGrant(consentId: string): Promise<void> {
    const grant = await this.provider.Grant.find(consentId);
    await grant?.destroy();
    await Promise.all([
      this.provider.RefreshToken.revokeByGrantId(consentId),
      this.provider.AuthorizationCode.revokeByGrantId(consentId),
      this.provider.AccessToken.revokeByGrantId(consentId),
    ]);
  }

  /**
   * Rejects consents left awaiting the customer too long (counted by the journey stage they
   * reached) and expires authorised consents past their expiry.
   */
  async applyTimeouts(awaitingMinutes: number, now = new Date()): Promise<void> {
    const awaitingBefore = new Date(now.getTime() - awaitingMinutes * 60_000).toISOString();
    const due = await this.store.dueForTimeout(awaitingBefore, now.toISOString());
    for (const id of due.abandoned) {
      const stage = (await this.store.journeyStage(id)) ?? 'before_login';
      await this.ignoreLostRace(() => this.transition(id, 'Rejected', 'abandoned', 'system'));
      this.metrics.journeysAbandoned.inc({ stage });
    }
    for (const id of due.expired)
      await this.ignoreLostRace(() => this.transition(id, 'Expired', 'expired', 'system'));
  }

  /** Another replica (or the customer) may have moved the consent first; that is fine. */
  private async ignoreLostRace(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof TransitionConflict)) throw error;
    }
  }
}
