import { parsePublishableKey } from '@clerk/shared/keys';
import { ConfigError } from '../config/config-error.js';

/** The `iss` of the tokens local mode signs (`npm run token`), and the issuer it checks. @internal */
export const LOCAL_SESSION_ISSUER = 'https://clerk.local';

/**
 * The issuer session tokens must carry: `CLERK_ISSUER`, else the Frontend API that
 * `CLERK_PUBLISHABLE_KEY` encodes, read with Clerk's own parser (`https://` + the host, as Clerk
 * writes `iss`); `undefined` when neither is set.
 *
 * @throws ConfigError when the publishable key is not one (loadConfig reports that earlier).
 * @internal
 */
export function expectedIssuer(config: {
  readonly CLERK_ISSUER?: string | undefined;
  readonly CLERK_PUBLISHABLE_KEY?: string | undefined;
}): string | undefined {
  if (config.CLERK_ISSUER !== undefined) return config.CLERK_ISSUER.replace(/\/+$/, '');
  if (config.CLERK_PUBLISHABLE_KEY === undefined) return undefined;
  const parsed = parsePublishableKey(config.CLERK_PUBLISHABLE_KEY);
  if (parsed === null)
    throw new ConfigError([
      {
        variable: 'CLERK_PUBLISHABLE_KEY',
        message: 'must be a Clerk publishable key (pk_live_... or pk_test_..., copied from the Clerk dashboard)',
      },
    ]);
  return `https://${parsed.frontendApi}`;
}
