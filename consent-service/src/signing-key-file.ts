import path from 'node:path';

/** Where the consent service keeps its signing keys; `npm run rotate-keys` rotates them. */
export function signingKeyFile(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'consent-service-signing-keys.json');
}
