import { isIP } from 'node:net';

/** Whether a bind address lets only this machine connect. */
function isLoopback(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (address === 'localhost' || address === '::1') return true;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Findings on the platform's own variables that do not stop a start but must be seen in its log:
 * local mode reachable from the network, and production without an expected token issuer.
 *
 * @internal
 */
export function platformWarnings(values: Readonly<Record<string, unknown>>): string[] {
  const warnings: string[] = [];
  const { ENVIRONMENT: environment, HOST: host } = values;
  if (environment === 'local' && typeof host === 'string' && !isLoopback(host)) {
    warnings.push(
      `local mode listens on ${host}, beyond this machine: its generated signing key, embedded store (where the service has one) and /docs are reachable from the network. Deploy with ENVIRONMENT=production (or staging), or set HOST=127.0.0.1`,
    );
  }
  if (environment === 'production' && values.CLERK_ISSUER === undefined && values.CLERK_PUBLISHABLE_KEY === undefined) {
    warnings.push(
      'neither CLERK_ISSUER nor CLERK_PUBLISHABLE_KEY is set: the iss claim of session tokens is not checked, so tokens of another Clerk instance signed with the same key would be accepted',
    );
  }
  return warnings;
}
