// Dockerfile lint (dockerfile-utils, the engine of the VS Code Docker extension; warnings count
// as problems) plus the image rules the platform promises: base image from a build argument,
// non-root USER, HEALTHCHECK without curl, STOPSIGNAL SIGTERM with an init as PID 1, OCI
// labels fed by the VERSION, GIT_COMMIT and BUILD_TIME build arguments.
import { validate } from 'dockerfile-utils';

/**
 * @param {string} text the Dockerfile source
 * @param {string} path shown in messages
 * @returns {string[]} problems
 */
export function lintDockerfile(text, path) {
  const errors = validate(text).map(
    (d) =>
      `${path}:${d.range.start.line + 1}: ${d.message} [dockerfile-utils ${d.severity === 1 ? 'error' : 'warning'}]`,
  );
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const instr = (name) => lines.filter((l) => l.toUpperCase().startsWith(`${name} `));
  const froms = instr('FROM');
  if (!froms.length || !froms.every((l) => /^FROM\s+\$\{?BASE_IMAGE\}?(\s|$)/i.test(l)))
    errors.push(`${path}: every FROM must use the BASE_IMAGE build argument`);
  const base = instr('ARG').find((l) => /^ARG\s+BASE_IMAGE=/.test(l));
  if (!base) errors.push(`${path}: ARG BASE_IMAGE=<official node image> must come before the first FROM`);
  else if (/:latest$|=[^:]+$/.test(base)) errors.push(`${path}: BASE_IMAGE default must name an exact tag, not latest`);
  const user = instr('USER').at(-1);
  if (!user) errors.push(`${path}: no USER: the service would run as root`);
  else if (/^USER\s+(root|0)(:|$)/.test(user)) errors.push(`${path}: the final USER is root`);
  const health = instr('HEALTHCHECK').at(-1);
  if (!health) errors.push(`${path}: no HEALTHCHECK`);
  else if (/\b(curl|wget)\b/.test(health)) errors.push(`${path}: HEALTHCHECK must not need curl or wget (use node)`);
  else if (!/\/healthz/.test(health)) errors.push(`${path}: HEALTHCHECK must ask /healthz`);
  if (!instr('STOPSIGNAL').some((l) => /SIGTERM/.test(l))) errors.push(`${path}: STOPSIGNAL SIGTERM missing`);
  if (!instr('ENTRYPOINT').some((l) => /tini|dumb-init/.test(l)))
    errors.push(`${path}: no init as ENTRYPOINT (tini): signals would not reach node reliably`);
  for (const [label, arg] of [
    ['version', 'VERSION'],
    ['revision', 'GIT_COMMIT'],
    ['created', 'BUILD_TIME'],
  ]) {
    if (!new RegExp(`org\\.opencontainers\\.image\\.${label}="?\\$\\{?${arg}\\}?"?`).test(text))
      errors.push(`${path}: label org.opencontainers.image.${label} must come from the ${arg} build argument`);
    if (!new RegExp(`^ARG\\s+${arg}(=|$)`, 'm').test(text)) errors.push(`${path}: ARG ${arg} missing`);
  }
  for (const env of ['SERVICE_VERSION', 'GIT_COMMIT', 'BUILD_TIME'])
    if (!new RegExp(`\\b${env}=\\$\\{?\\w+\\}?`).test(text))
      errors.push(`${path}: ENV ${env} must be set from its build argument so /version reports it`);
  // Fail closed: a container started without configuration is production and refuses to start.
  const envs = instr('ENV').join(' ');
  if (!/\bENVIRONMENT=production\b/.test(envs))
    errors.push(`${path}: ENV ENVIRONMENT=production missing (a bare container would run in local mode)`);
  if (!/\bHOST=0\.0\.0\.0\b/.test(envs))
    errors.push(`${path}: ENV HOST=0.0.0.0 missing (the service listens on loopback by default locally)`);
  return errors;
}

/**
 * The image's Node.js: the default BASE_IMAGE is an official node image of an LTS line (even
 * major), the newest line the CI test matrix runs on, so the image ships a tested, supported runtime.
 * @param {string} dockerfile the Dockerfile source
 * @param {string[]} testedVersions the Node versions of the CI test matrix
 * @param {string} path shown in messages
 * @returns {string[]} problems
 */
export function checkImageNode(dockerfile, testedVersions, path) {
  const base = /^ARG\s+BASE_IMAGE=node:(\d+)\.\d+\.\d+-/m.exec(dockerfile);
  if (!base)
    return [
      `${path}: the default BASE_IMAGE must be an official node image with an exact version (node:<major>.<minor>.<patch>-<variant>)`,
    ];
  const major = Number(base[1]);
  const newest = Math.max(
    ...testedVersions.map((v) => Number(/^(\d+)/.exec(String(v))?.[1] ?? NaN)).filter(Number.isFinite),
  );
  const errors = [];
  if (major % 2 !== 0) errors.push(`${path}: Node ${major} is not an LTS line (even majors are)`);
  if (major !== newest)
    errors.push(
      `${path}: the image runs Node ${major}, the newest line the CI tests is ${Number.isFinite(newest) ? newest : 'unknown'}`,
    );
  return errors;
}

/**
 * Checks a .dockerignore keeps secrets and installed or built files out of the build context.
 * @param {string} text the .dockerignore source
 * @returns {string[]} problems
 */
export function checkDockerignore(text, path) {
  const patterns = new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
  const required = [
    ['.env', '.env'],
    ['.env.*', '.env.* files'],
    ['**/node_modules', 'node_modules'],
    ['.git', '.git'],
    ['.tools', '.tools'],
  ];
  return required.filter(([p]) => !patterns.has(p)).map(([p, what]) => `${path}: must exclude ${what} (${p})`);
}
