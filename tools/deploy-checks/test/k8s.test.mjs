import { describe, it } from 'mocha';
import { expect } from 'chai';
import YAML from 'yaml';
import { parseManifests, validateManifests, checkServiceRules, kustomize } from '../src/k8s.mjs';
import { readRepo, mutate, root } from './helpers.mjs';

const base = (name) => readRepo('deploy', 'k8s', 'base', name);
const all = () => ['serviceaccount.yaml', 'configmap.yaml', 'deployment.yaml', 'service.yaml', 'pdb.yaml', 'hpa.yaml'].map(base).join('\n---\n');

describe('validateManifests', () => {
  it('accepts the base manifests', async () => {
    expect(await validateManifests(parseManifests(all()))).to.deep.equal([]);
  });

  it('reports a Deployment without a selector, a string replica count and a container without a name', async () => {
    let text = mutate(base('deployment.yaml'), '  replicas: 2\n', '  replicas: two\n');
    text = mutate(text, '  selector:\n    matchLabels:\n      app.kubernetes.io/name: entities-service\n  template:', '  template:');
    text = mutate(text, '        - name: entities-service\n          image:', '        - image:');
    const errors = (await validateManifests(parseManifests(text))).join('\n');
    expect(errors).to.match(/data\/spec must have required property selector/);
    expect(errors).to.match(/replicas must be integer/);
    expect(errors).to.match(/containers\/0 must have required property name/);
  });

  it('reports a kind with no schema', async () => {
    expect(await validateManifests([{ apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x' } }])).to.deep.equal(['Deploymnt/x: no schema for apiVersion apps/v1 kind Deploymnt']);
  });
});

describe('checkServiceRules', () => {
  it('accepts the base manifests', () => {
    expect(checkServiceRules(parseManifests(all()))).to.deep.equal([]);
  });

  it('reports a grace period shorter than the shutdown sequence', () => {
    const text = mutate(all(), 'terminationGracePeriodSeconds: 35', 'terminationGracePeriodSeconds: 20');
    expect(checkServiceRules(parseManifests(text)).join('\n')).to.match(/terminationGracePeriodSeconds 20 < SHUTDOWN_DELAY_MS \+ SHUTDOWN_TIMEOUT_MS \+ SHUTDOWN_HOOK_TIMEOUT_MS \(30 s\)/);
  });

  it('reports probes on the wrong paths, a root user and a PDB that selects nothing', () => {
    let text = mutate(all(), 'path: /readyz', 'path: /healthz');
    text = mutate(text, '        runAsNonRoot: true\n        runAsUser: 10001', '        runAsNonRoot: false\n        runAsUser: 0');
    text = mutate(text, '  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: entities-service', '  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: other');
    const errors = checkServiceRules(parseManifests(text)).join('\n');
    expect(errors).to.match(/readinessProbe must GET \/readyz/);
    expect(errors).to.match(/runAsUser must not be 0/);
    expect(errors).to.match(/PodDisruptionBudget entities-service does not select/);
  });

  it('reports a readiness probe that gives up before the readiness checks do', () => {
    const text = mutate(all(), 'READINESS_TIMEOUT_MS: "2000"', 'READINESS_TIMEOUT_MS: "5000"');
    expect(checkServiceRules(parseManifests(text))).to.deep.equal(['readinessProbe.timeoutSeconds must exceed READINESS_TIMEOUT_MS (5 s)']);
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
