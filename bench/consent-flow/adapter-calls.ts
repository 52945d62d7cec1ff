import type { CallCounts } from './protocol.js';

/** The oidc-provider adapter methods a flow can call. */
export const ADAPTER_METHODS = [
  'upsert',
  'find',
  'findByUid',
  'findByUserCode',
  'consume',
  'destroy',
  'revokeByGrantId',
] as const;

/**
 * Counts every call of the adapter methods of a class, by model and method, by wrapping its
 * prototype. Both contenders' adapter classes are wrapped the same way, so neither needs a
 * change in the code that constructs its adapters (Bund's provider, oidc-provider's default).
 */
export function countAdapterCalls(adapterClass: { prototype: object }): {
  counts(): CallCounts;
  reset(): void;
} {
  let counts: CallCounts = {};
  // Set while a counted method runs synchronously: MemoryAdapter's findByUid calls its own
  // find, which is one call of oidc-provider's, not two.
  let inside = false;
  const prototype = adapterClass.prototype as Record<string, unknown>;
  for (const method of ADAPTER_METHODS) {
    const original = prototype[method];
    if (typeof original !== 'function') continue;
    prototype[method] = function (this: { model?: string }, ...args: unknown[]) {
      if (!inside) {
        const key = `${this.model ?? '?'}.${method}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      const outer = inside;
      inside = true;
      try {
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } finally {
        inside = outer;
      }
    };
  }
  return {
    counts: () => ({ ...counts }),
    reset: () => (counts = {}),
  };
}
