/**
 * What became of a resource call, as the gateway records it and the consent service stores
 * and shows it: allowed (2xx), refused (4xx) or failed (5xx). One definition for both sides
 * of `POST /internal/data-access`.
 */
export type DataAccessOutcome = 'allowed' | 'refused' | 'failed';

const OUTCOME_OF_STATUS_CLASS = { 2: 'allowed', 4: 'refused', 5: 'failed' } as const;

/** The outcome a response status stands for; undefined for statuses that are never recorded. */
export function outcomeOfStatus(status: number): DataAccessOutcome | undefined {
  return OUTCOME_OF_STATUS_CLASS[Math.floor(status / 100) as keyof typeof OUTCOME_OF_STATUS_CLASS];
}
