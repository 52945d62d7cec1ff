// oidc-provider ships no types for its internal modules; the benchmark wraps this one.
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** oidc-provider's built-in (development) adapter, used when no adapter is configured. */
  export default class MemoryAdapter {
    model: string;
  }
}
