// `docker-compose config` from Debian (compose v1, python) as a second opinion on the merged
// model, when it is installed. v1 predates the top-level `name` and the long env_file form, so
// those two are rewritten for it; everything else it reads as written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';

/** The installed docker-compose v1 version, or undefined. */
export function composeV1Version() {
  const r = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
  return !r.error && r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Runs `docker-compose config -q` on a merged, interpolated compose model.
 * @param {Record<string, any>} model from validateCompose
 * @param {{ root: string, env?: Record<string, string> }} options build contexts and env files resolve against root
 * @returns {string[]} problems
 */
export function composeV1Config(model, { root, env = {} }) {
  const copy = JSON.parse(JSON.stringify(model));
  delete copy.name;
  for (const s of Object.values(copy.services ?? {})) {
    if (s.env_file) {
      s.env_file = []
        .concat(s.env_file)
        .map((e) => (typeof e === 'string' ? e : e.path))
        .map((p) => join(root, p))
        .filter((p) => existsSync(p));
      if (!s.env_file.length) delete s.env_file;
    }
    if (s.build?.context) s.build.context = join(root, s.build.context);
  }
  const dir = mkdtempSync(join(tmpdir(), 'deploy-checks-v1-'));
  try {
    const file = join(dir, 'compose.yml');
    // Values are already interpolated: escape `$` so v1 does not interpolate them again.
    writeFileSync(file, YAML.stringify({ version: '3.9', ...copy }).replaceAll('$', '$$$$'));
    const r = spawnSync('docker-compose', ['-f', file, '-p', 'deploychecks', 'config', '-q'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    return r.status === 0 ? [] : r.stderr.trim().split('\n').filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
