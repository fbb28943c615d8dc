import { fileURLToPath } from 'node:url';

/**
 * Where local mode keeps its generated signing key (used only without Clerk variables): the
 * service's git-ignored `.data/`, found from this file rather than the working directory, so
 * `npm start` and `npm run token` (run from the repository root) use the same key.
 */
export const LOCAL_AUTH_DIR = fileURLToPath(new URL('../.data/auth/', import.meta.url));
