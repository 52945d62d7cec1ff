// oidc-provider ships no types for its internal modules; this is the one we read.
declare module 'oidc-provider/lib/helpers/weak_cache.js' {
  export default function instance(provider: object): { configuration: unknown };
}
