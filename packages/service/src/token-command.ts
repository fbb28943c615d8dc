import { parseArgs } from 'node:util';
import { isConfigError } from '@org/platform';
import { createLocalSessionToken, ensureLocalSigningKey } from '@org/platform/auth';
import { loadServiceConfig } from './config.js';

/** Where the token command reads and writes; main passes the real process, tests their own. */
export interface TokenCommandIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly envFile: string | false;
  readonly keyDir: string;
  readonly version: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

const USAGE = `Usage: npm run -s token -- [--user ID] [--org ID] [--role ROLE] [--ttl DURATION]
       (or pnpm -s run token ...; plain \`pnpm token\` is a pnpm built-in)

Prints a Clerk-format session token signed with the local key pair (local mode only).
  --user ID        sub claim, the caller's user id        (default user_local)
  --org ID         active organization id                 (default none)
  --role ROLE      organization role, e.g. admin           (default member, needs --org)
  --ttl DURATION   lifetime: 3600, 90s, 30m, 12h, 7d       (default 1h)

  TOKEN=$(npm run -s token -- --user user_alice)
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8000/api/v1/entities
`;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

function parseTtl(text: string): number | undefined {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (match === null) return undefined;
  const seconds = Number(match[1]) * (UNITS[match[2] || 's'] ?? 1);
  return seconds >= 1 && seconds <= 30 * 86_400 ? seconds : undefined;
}

/**
 * `npm run token` (root package.json): mints a token the service accepts in local mode. Refuses when the service would
 * verify with Clerk keys instead, because such a token would only ever get 401. Returns the
 * exit code.
 */
export function runTokenCommand(io: TokenCommandIo): number {
  const fail = (message: string): number => {
    io.stderr.write(`token: ${message}\n`);
    return 2;
  };
  let values: { user?: string; org?: string; role?: string; ttl?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...io.argv],
      options: {
        user: { type: 'string' },
        org: { type: 'string' },
        role: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help === true) {
    io.stdout.write(USAGE);
    return 0;
  }
  const ttlSeconds = parseTtl(values.ttl ?? '1h');
  if (ttlSeconds === undefined) return fail('--ttl must be a duration such as 3600, 30m, 12h or 7d (at most 30 days)');
  if (values.role !== undefined && values.org === undefined)
    return fail('--role needs --org (roles belong to an organization)');
  if (values.user !== undefined && !/^[\w.@:-]{1,128}$/.test(values.user))
    return fail('--user must be 1-128 characters of letters, digits, _ . @ : -');

  let config;
  try {
    config = loadServiceConfig({ version: io.version, env: io.env, envFile: io.envFile });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    return fail(error.message);
  }
  if (config.ENVIRONMENT !== 'local' || config.CLERK_JWT_KEY !== undefined || config.CLERK_SECRET_KEY !== undefined) {
    return fail(
      'the service verifies tokens with Clerk here (ENVIRONMENT is not local, or CLERK_JWT_KEY/CLERK_SECRET_KEY is set); sign in through Clerk to get a token',
    );
  }
  const key = ensureLocalSigningKey(io.keyDir);
  const party = config.CLERK_AUTHORIZED_PARTIES[0];
  const token = createLocalSessionToken(key, {
    ttlSeconds,
    ...(values.user === undefined ? {} : { userId: values.user }),
    ...(values.org === undefined ? {} : { orgId: values.org }),
    ...(values.role === undefined ? {} : { role: values.role }),
    ...(party === undefined ? {} : { authorizedParty: party }),
  });
  io.stdout.write(`${token}\n`);
  return 0;
}
