import { describe, it } from 'mocha';
import { expect } from 'chai';
import YAML from 'yaml';
import { parseManifests, validateManifests, checkServiceRules, kustomize } from '../src/k8s.mjs';
import { readRepo, mutate, root } from './helpers.mjs';
import { serviceConfigVariables } from '../src/service-config.mjs';

const base = (name) => readRepo('deploy', 'k8s', 'base', name);
const all = () =>
  ['serviceaccount.yaml', 'configmap.yaml', 'deployment.yaml', 'service.yaml', 'pdb.yaml', 'hpa.yaml']
    .map(base)
    .join('\n---\n');

describe('validateManifests', () => {
  it('accepts the base manifests', async () => {
    expect(await validateManifests(parseManifests(all()))).to.deep.equal([]);
  });

  it('reports a Deployment without a selector, a string replica count and a container without a name', async () => {
    let text = mutate(base('deployment.yaml'), '  replicas: 2\n', '  replicas: two\n');
    text = mutate(
      text,
      '  selector:\n    matchLabels:\n      app.kubernetes.io/name: entities-service\n  template:',
      '  template:',
    );
    text = mutate(text, '        - name: entities-service\n          image:', '        - image:');
    const errors = (await validateManifests(parseManifests(text))).join('\n');
    expect(errors).to.match(/data\/spec must have required property selector/);
    expect(errors).to.match(/replicas must be integer/);
    expect(errors).to.match(/containers\/0 must have required property name/);
  });

  it('reports a kind with no schema', async () => {
    expect(
      await validateManifests([{ apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x' } }]),
    ).to.deep.equal(['Deploymnt/x: no schema for apiVersion apps/v1 kind Deploymnt']);
  });
});

describe('checkServiceRules', () => {
  it('accepts the base manifests', () => {
    expect(checkServiceRules(parseManifests(all()))).to.deep.equal([]);
  });

  it('reports a grace period shorter than the shutdown sequence', () => {
    const text = mutate(all(), 'terminationGracePeriodSeconds: 35', 'terminationGracePeriodSeconds: 20');
    expect(checkServiceRules(parseManifests(text)).join('\n')).to.match(
      /terminationGracePeriodSeconds 20 < SHUTDOWN_DELAY_MS \+ SHUTDOWN_TIMEOUT_MS \+ SHUTDOWN_HOOK_TIMEOUT_MS \(30 s\)/,
    );
  });

  it('reports probes on the wrong paths, a root user and a PDB that selects nothing', () => {
    let text = mutate(all(), 'path: /readyz', 'path: /healthz');
    text = mutate(
      text,
      '        runAsNonRoot: true\n        runAsUser: 10001',
      '        runAsNonRoot: false\n        runAsUser: 0',
    );
    text = mutate(
      text,
      '  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: entities-service',
      '  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: other',
    );
    const errors = checkServiceRules(parseManifests(text)).join('\n');
    expect(errors).to.match(/readinessProbe must GET \/readyz/);
    expect(errors).to.match(/runAsUser must not be 0/);
    expect(errors).to.match(/PodDisruptionBudget entities-service does not select/);
  });

  it('reports a readiness probe that gives up before the readiness checks do', () => {
    const text = mutate(all(), 'READINESS_TIMEOUT_MS: "2000"', 'READINESS_TIMEOUT_MS: "5000"');
    expect(checkServiceRules(parseManifests(text))).to.deep.equal([
      'readinessProbe.timeoutSeconds must exceed READINESS_TIMEOUT_MS (5 s)',
    ]);
  });

  it('takes the secrets as files from a read-only Secret volume, with NAME_FILE names the service reads', async () => {
    const config = await serviceConfigVariables(root);
    const docs = parseManifests(all());
    expect(checkServiceRules(docs, config)).to.deep.equal([]);
    const env = docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0].env.map((e) => e.name);
    expect(env.filter((n) => n.endsWith('_FILE')).every((n) => config.fileVariables.has(n))).to.equal(true);
  });

  it('reports secrets put in the environment (secretRef, secretKeyRef)', () => {
    let text = mutate(
      all(),
      '            - configMapRef:\n                # Per-environment',
      '            - secretRef:\n                name: entities-service\n            - configMapRef:\n                # Per-environment',
    );
    text = mutate(
      text,
      '            - name: SERVICE_NAME\n              value: entities-service\n',
      '            - name: SERVICE_NAME\n              value: entities-service\n            - name: SENTRY_DSN\n              valueFrom:\n                secretKeyRef:\n                  name: entities-service\n                  key: SENTRY_DSN\n',
    );
    const errors = checkServiceRules(parseManifests(text)).join('\n');
    expect(errors).to.match(/envFrom secretRef entities-service: secrets must be mounted as files/);
    expect(errors).to.match(
      /env SENTRY_DSN comes from Secret entities-service: mount it as a file and set SENTRY_DSN_FILE instead/,
    );
  });

  it('reports a NAME_FILE outside the Secret mount or unknown to the service, an optional Secret and a mode others can read', async () => {
    const config = await serviceConfigVariables(root);
    let text = mutate(
      all(),
      'value: /run/secrets/entities-service/CLERK_SECRET_KEY',
      'value: /etc/clerk/CLERK_SECRET_KEY',
    );
    text = mutate(text, '- name: SUPABASE_SERVICE_KEY_FILE', '- name: SUPABASE_SERVICEKEY_FILE');
    text = mutate(
      text,
      '            secretName: entities-service\n',
      '            secretName: entities-service\n            optional: true\n',
    );
    text = mutate(text, 'defaultMode: 288', 'defaultMode: 420');
    const errors = checkServiceRules(parseManifests(text), config).join('\n');
    expect(errors).to.match(
      /env CLERK_SECRET_KEY_FILE=\/etc\/clerk\/CLERK_SECRET_KEY does not point into a mounted Secret volume/,
    );
    expect(errors).to.match(/env SUPABASE_SERVICEKEY_FILE is not a variable the service reads/);
    expect(errors).to.match(/volume secrets: the Secret volume must not be optional/);
    expect(errors).to.match(/volume secrets: defaultMode 644 lets every user read the secrets/);
  });

  it('reports a missing HPA', () => {
    const docs = parseManifests(all()).filter((d) => d.kind !== 'HorizontalPodAutoscaler');
    expect(checkServiceRules(docs)).to.deep.equal(['no HorizontalPodAutoscaler']);
  });
});

describe('kustomize', () => {
  it('renders the base with the kustomization labels when kubectl is installed', function () {
    const result = kustomize(`${root}/deploy/k8s/base`);
    if (!result.available) this.skip(); // reported by the check script, which falls back to the raw files
    const dep = parseManifests(result.text).find((d) => d.kind === 'Deployment');
    expect(dep.metadata.labels).to.include({ 'app.kubernetes.io/part-of': 'org-platform' });
    expect(YAML.stringify(dep)).to.include('ghcr.io/org/entities-service:staging');
  });
});
