import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@bund/service-kit/config';

/** One service of the stack, as the launcher starts it. */
export interface ServiceEntry {
  name: string;
  /** Entry point relative to the repository root. */
  entry: string;
}

/**
 * The stack in start order: the backends first, then what depends on them. A service whose
 * entry point does not exist yet is left out, so the launcher starts whatever exists.
 */
const STACK: readonly ServiceEntry[] = [
  { name: 'mock-bank', entry: 'mock-bank/src/index.ts' },
  { name: 'data-exchange', entry: 'data-exchange/src/index.ts' },
  { name: 'consent-service', entry: 'consent-service/src/index.ts' },
  { name: 'gateway', entry: 'gateway/src/index.ts' },
  // A third party using the stack: the consent service has made its key by now.
  { name: 'sample-tpp', entry: 'sample-tpp/src/index.ts' },
];

export function servicesToStart(): ServiceEntry[] {
  return STACK.filter((service) => existsSync(path.join(repoRoot, service.entry)));
}
