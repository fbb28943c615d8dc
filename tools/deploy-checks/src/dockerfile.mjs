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
  const errors = validate(text).map((d) => `${path}:${d.range.start.line + 1}: ${d.message} [dockerfile-utils ${d.severity === 1 ? 'error' : 'warning'}]`);
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const instr = (name) => lines.filter((l) => l.toUpperCase().startsWith(`${name} `));
  const froms = instr('FROM');
  if (!froms.length || !froms.every((l) => /^FROM\s+\$\{?BASE_IMAGE\}?(\s|$)/i.test(l))) errors.push(`${path}: every FROM must use the BASE_IMAGE build argument`);
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
  if (!instr('ENTRYPOINT').some((l) => /tini|dumb-init/.test(l))) errors.push(`${path}: no init as ENTRYPOINT (tini): signals would not reach node reliably`);
  for (const [label, arg] of [['version', 'VERSION'], ['revision', 'GIT_COMMIT'], ['created', 'BUILD_TIME']]) {
    if (!new RegExp(`org\\.opencontainers\\.image\\.${label}="?\\$\\{?${arg}\\}?"?`).test(text)) errors.push(`${path}: label org.opencontainers.image.${label} must come from the ${arg} build argument`);
    if (!new RegExp(`^ARG\\s+${arg}(=|$)`, 'm').test(text)) errors.push(`${path}: ARG ${arg} missing`);
  }
  for (const env of ['SERVICE_VERSION', 'GIT_COMMIT', 'BUILD_TIME']) if (!new RegExp(`\\b${env}=\\$\\{?\\w+\\}?`).test(text)) errors.push(`${path}: ENV ${env} must be set from its build argument so /version reports it`);
  return errors;
}

/**
 * Checks a .dockerignore keeps secrets and installed or built files out of the build context.
 * @param {string} text the .dockerignore source
 * @returns {string[]} problems
 */
export function checkDockerignore(text, path) {
  const patterns = new Set(text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  const required = [['.env', '.env'], ['.env.*', '.env.* files'], ['**/node_modules', 'node_modules'], ['.git', '.git'], ['.tools', '.tools']];
  return required.filter(([p]) => !patterns.has(p)).map(([p, what]) => `${path}: must exclude ${what} (${p})`);
}
