/**
 * `npm run rotate-keys -w consent-service`: adds a new ES256 and PS256 signing key in front
 * (new tokens are signed with them after the next start) and keeps the previous keys in the
 * JWKS as retired, so tokens already issued keep verifying until they expire. Keys retired for
 * longer than the longest token lifetime are dropped.
 */
import { loadConsentServiceConfig } from '../src/config.js';
import { signingKeyFile } from '../src/signing-key-file.js';
import { rotateSigningKeys } from '../src/oidc/signing-keys.js';

const config = loadConsentServiceConfig(process.env);
// Anything signed by a retired key is an access token (minutes) or an ID token; keep a day.
const keepRetiredForMs = Math.max(config.accessTokenTtlSeconds * 1000 * 2, 24 * 3600 * 1000);
const file = signingKeyFile(config.dataDir);
const rotated = await rotateSigningKeys(file, keepRetiredForMs);
console.log(`rotated signing keys in ${file}:`);
for (const key of rotated.keys)
  console.log(`  ${key.kid}  ${key.alg}  ${key.retired ? `retired ${key.retired}` : 'active'}`);
console.log(
  'Restart the consent service to sign with the new keys; tokens signed with the old ones keep verifying.',
);
