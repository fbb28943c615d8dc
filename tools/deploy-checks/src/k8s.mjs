// Kubernetes manifests: each document against its schema from kubernetes-models (the k8s
// OpenAPI schemas; unknown fields are not flagged by them), the kustomize build through
// `kubectl kustomize` when kubectl is installed, and the rules that tie the manifests to the
// service: probes on /healthz and /readyz, a grace period longer than the shutdown sequence,
// non-root security context, resources, a PodDisruptionBudget and an HPA for the Deployment.
import { spawnSync } from 'node:child_process';
import YAML from 'yaml';

async function modelFor(apiVersion, kind) {
  const group = apiVersion.includes('/') ? apiVersion : `core/${apiVersion}`.replace(/^core\//, '');
  try {
    const models = await import(`kubernetes-models/${group}`);
    return models[kind];
  } catch {
    return undefined;
  }
}

/** Parses a multi-document YAML text into plain objects (empty documents skipped). */
export function parseManifests(text) {
  return YAML.parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw d.errors[0];
      return d.toJS();
    })
    .filter(Boolean);
}

/**
 * Validates manifests against the Kubernetes schemas.
 * @param {Record<string, any>[]} docs
 * @returns {Promise<string[]>} problems
 */
export async function validateManifests(docs) {
  const errors = [];
  for (const doc of docs) {
    const where = `${doc.kind}/${doc.metadata?.name}`;
    const Model = doc.apiVersion && doc.kind ? await modelFor(doc.apiVersion, doc.kind) : undefined;
    if (!Model) {
      errors.push(`${where}: no schema for apiVersion ${doc.apiVersion} kind ${doc.kind}`);
      continue;
    }
    try {
      new Model(doc).validate();
    } catch (error) {
      errors.push(`${where}: ${error.message}`);
    }
  }
  return errors;
}

const ms = (v) => Number.parseInt(String(v ?? '0'), 10);

/**
 * Secrets reach the container as files from a Secret volume, never as environment variables:
 * every NAME_FILE the container sets is a variable the service reads and points into a read-only
 * mount of a Secret volume that is neither optional nor readable by others.
 * @param {Record<string, any>} pod the pod spec
 * @param {Record<string, any>} container
 * @param {{ fileVariables: Map<string, string> } | undefined} config from serviceConfigVariables
 * @returns {string[]} problems
 */
function checkSecretFiles(pod, container, config) {
  const errors = [];
  for (const from of container.envFrom ?? [])
    if (from.secretRef)
      errors.push(
        `envFrom secretRef ${from.secretRef.name}: secrets must be mounted as files (NAME_FILE), not put in the environment`,
      );
  for (const e of container.env ?? [])
    if (e.valueFrom?.secretKeyRef)
      errors.push(
        `env ${e.name} comes from Secret ${e.valueFrom.secretKeyRef.name}: mount it as a file and set ${e.name}_FILE instead`,
      );
  const secretVolumes = new Map((pod.volumes ?? []).filter((v) => v.secret).map((v) => [v.name, v.secret]));
  for (const [name, secret] of secretVolumes) {
    if (secret.optional === true)
      errors.push(
        `volume ${name}: the Secret volume must not be optional (the service would start without its secrets)`,
      );
    if (((secret.defaultMode ?? 0o644) & 0o004) !== 0)
      errors.push(
        `volume ${name}: defaultMode ${(secret.defaultMode ?? 0o644).toString(8)} lets every user read the secrets (use 0440 with fsGroup)`,
      );
  }
  const mounts = (container.volumeMounts ?? []).filter((m) => secretVolumes.has(m.name));
  const files = (container.env ?? []).filter((e) => e.name.endsWith('_FILE'));
  for (const e of files) {
    if (config && !config.fileVariables.has(e.name))
      errors.push(
        `env ${e.name} is not a variable the service reads (accepting a file: ${[...config.fileVariables.keys()].join(', ')})`,
      );
    const mount = mounts.find(
      (m) => typeof e.value === 'string' && e.value.startsWith(`${m.mountPath.replace(/\/$/, '')}/`),
    );
    if (!mount) {
      errors.push(`env ${e.name}=${e.value} does not point into a mounted Secret volume`);
      continue;
    }
    if (mount.readOnly !== true) errors.push(`volumeMount ${mount.name}: secrets must be mounted readOnly`);
    const items = secretVolumes.get(mount.name).items;
    const key = e.value.slice(mount.mountPath.replace(/\/$/, '').length + 1);
    if (items && !items.some((i) => i.path === key))
      errors.push(`env ${e.name}: volume ${mount.name} does not project the key ${key}`);
  }
  return errors;
}

/**
 * The service's own rules across the rendered manifests.
 * @param {Record<string, any>[]} docs rendered (kustomize build) documents
 * @param {{ fileVariables: Map<string, string> }} [config] the service's variables (serviceConfigVariables), to check NAME_FILE names
 * @returns {string[]} problems
 */
export function checkServiceRules(docs, config) {
  const errors = [];
  const find = (kind) => docs.filter((d) => d.kind === kind);
  const deployments = find('Deployment');
  if (deployments.length !== 1) return [`expected one Deployment, found ${deployments.length}`];
  const dep = deployments[0];
  const pod = dep.spec.template.spec;
  const container = pod.containers[0];
  const configMaps = Object.fromEntries(find('ConfigMap').map((c) => [c.metadata.name, c.data ?? {}]));
  const env = {};
  for (const from of container.envFrom ?? [])
    if (from.configMapRef) Object.assign(env, configMaps[from.configMapRef.name] ?? {});
  for (const e of container.env ?? []) if ('value' in e) env[e.name] = e.value;
  const probePath = (p) => p?.httpGet?.path;
  if (probePath(container.livenessProbe) !== '/healthz') errors.push('livenessProbe must GET /healthz');
  if (probePath(container.readinessProbe) !== '/readyz') errors.push('readinessProbe must GET /readyz');
  if (container.startupProbe && probePath(container.startupProbe) !== '/healthz')
    errors.push('startupProbe must GET /healthz');
  const readinessBudget = ms(env.READINESS_TIMEOUT_MS ?? 2000) / 1000;
  if ((container.readinessProbe?.timeoutSeconds ?? 1) <= readinessBudget)
    errors.push(`readinessProbe.timeoutSeconds must exceed READINESS_TIMEOUT_MS (${readinessBudget} s)`);
  const port = container.ports?.find((p) => p.name === 'http')?.containerPort;
  if (String(port) !== String(env.PORT ?? 8000))
    errors.push(`containerPort ${port} differs from PORT ${env.PORT ?? 8000}`);
  if (env.SHUTDOWN_DELAY_MS === undefined || env.SHUTDOWN_TIMEOUT_MS === undefined)
    errors.push('SHUTDOWN_DELAY_MS and SHUTDOWN_TIMEOUT_MS must be set explicitly');
  // Delay + drain + one hook budget (SHUTDOWN_HOOK_TIMEOUT_MS, default 5 s) at the very least.
  const needed =
    (ms(env.SHUTDOWN_DELAY_MS) + ms(env.SHUTDOWN_TIMEOUT_MS) + ms(env.SHUTDOWN_HOOK_TIMEOUT_MS ?? 5000)) / 1000;
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  if (grace < needed)
    errors.push(
      `terminationGracePeriodSeconds ${grace} < SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + SHUTDOWN_HOOK_TIMEOUT_MS (${needed} s): pods would be killed mid-drain`,
    );
  if ((dep.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%') !== 0)
    errors.push('rollingUpdate.maxUnavailable must be 0 (never fewer ready pods during a deploy)');
  const sc = { ...pod.securityContext, ...container.securityContext };
  if (sc.runAsNonRoot !== true) errors.push('securityContext.runAsNonRoot must be true');
  if (sc.runAsUser === 0) errors.push('securityContext.runAsUser must not be 0');
  if (container.securityContext?.allowPrivilegeEscalation !== false)
    errors.push('allowPrivilegeEscalation must be false');
  if (container.securityContext?.readOnlyRootFilesystem !== true) errors.push('readOnlyRootFilesystem must be true');
  if (
    !container.resources?.requests?.cpu ||
    !container.resources?.requests?.memory ||
    !container.resources?.limits?.memory
  )
    errors.push('resources need cpu and memory requests and a memory limit');
  errors.push(...checkSecretFiles(pod, container, config));
  if (env.ENVIRONMENT !== undefined && env.ENVIRONMENT !== 'production' && env.ENVIRONMENT !== 'staging')
    errors.push(`ENVIRONMENT ${env.ENVIRONMENT}: a cluster runs production or staging`);
  const labels = dep.spec.template.metadata?.labels ?? {};
  const selects = (selector) => Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
  const pdb = find('PodDisruptionBudget');
  if (!pdb.length) errors.push('no PodDisruptionBudget');
  for (const p of pdb)
    if (!selects(p.spec.selector?.matchLabels))
      errors.push(`PodDisruptionBudget ${p.metadata.name} does not select the Deployment's pods`);
  const hpa = find('HorizontalPodAutoscaler');
  if (!hpa.length) errors.push('no HorizontalPodAutoscaler');
  for (const h of hpa) {
    if (h.spec.scaleTargetRef?.kind !== 'Deployment' || h.spec.scaleTargetRef?.name !== dep.metadata.name)
      errors.push(`HPA ${h.metadata.name} does not target Deployment ${dep.metadata.name}`);
    if ((h.spec.minReplicas ?? 1) < 2)
      errors.push(`HPA ${h.metadata.name}: minReplicas < 2 leaves no pod during a disruption`);
  }
  for (const s of find('Service')) {
    if (!selects(s.spec.selector)) errors.push(`Service ${s.metadata.name} does not select the Deployment's pods`);
    for (const p of s.spec.ports ?? [])
      if (typeof p.targetPort === 'string' && !container.ports?.some((c) => c.name === p.targetPort))
        errors.push(`Service ${s.metadata.name}: targetPort ${p.targetPort} is not a container port name`);
  }
  return errors;
}

/**
 * Renders a kustomization with `kubectl kustomize` when kubectl exists.
 * @param {string} dir
 * @returns {{ available: boolean, text?: string, error?: string }}
 */
export function kustomize(dir) {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { available: false };
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return result.status === 0
    ? { available: true, text: result.stdout }
    : { available: true, error: result.stderr.trim() };
}
