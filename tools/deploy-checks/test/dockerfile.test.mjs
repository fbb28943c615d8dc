import { describe, it } from 'mocha';
import { expect } from 'chai';
import YAML from 'yaml';
import { lintDockerfile, checkDockerignore, checkImageNode } from '../src/dockerfile.mjs';
import { readRepo, mutate } from './helpers.mjs';

const dockerfile = readRepo('packages', 'service', 'Dockerfile');

describe('lintDockerfile', () => {
  it('accepts packages/service/Dockerfile', () => {
    expect(lintDockerfile(dockerfile, 'Dockerfile')).to.deep.equal([]);
  });

  it('reports an unknown instruction and a relative WORKDIR', () => {
    const text = mutate(
      mutate(dockerfile, 'STOPSIGNAL SIGTERM', 'STOPSIGNAL SIGTERM\nHEALTHCHEK CMD true'),
      'WORKDIR /app',
      'WORKDIR app',
    );
    const errors = lintDockerfile(text, 'Dockerfile').join('\n');
    expect(errors).to.match(/Unknown instruction: HEALTHCHEK/);
    expect(errors).to.match(/WORKDIR paths should be absolute/);
  });

  it('reports a root user, a curl healthcheck, a missing init and a hard-coded base image', () => {
    let text = mutate(dockerfile, 'USER 10001:10001', 'USER root');
    text = mutate(text, 'CMD ["node", "-e", "fetch(', 'CMD ["curl", "-f", "/healthz", "fetch(');
    text = mutate(text, 'ENTRYPOINT ["/usr/bin/tini", "--"]\n', '');
    text = mutate(text, 'FROM ${BASE_IMAGE} AS runtime', 'FROM node:20 AS runtime');
    const errors = lintDockerfile(text, 'Dockerfile').join('\n');
    expect(errors).to.match(/the final USER is root/);
    expect(errors).to.match(/must not need curl/);
    expect(errors).to.match(/no init as ENTRYPOINT/);
    expect(errors).to.match(/every FROM must use the BASE_IMAGE build argument/);
  });

  it('reports a version label that is not the release version', () => {
    const text = mutate(
      dockerfile,
      'org.opencontainers.image.version="${VERSION}"',
      'org.opencontainers.image.version="${BUILD_TIME}"',
    );
    expect(lintDockerfile(text, 'Dockerfile').join('\n')).to.match(
      /image\.version must come from the VERSION build argument/,
    );
  });
});

describe('fail closed and a tested LTS runtime', () => {
  it('reports an image that does not default to production, or not to every address', () => {
    const text = mutate(mutate(dockerfile, '    ENVIRONMENT=production \\\n', ''), '    HOST=0.0.0.0 \\\n', '');
    const errors = lintDockerfile(text, 'Dockerfile');
    expect(errors).to.include.members([
      'Dockerfile: ENV ENVIRONMENT=production missing (a bare container would run in local mode)',
      'Dockerfile: ENV HOST=0.0.0.0 missing (the service listens on loopback by default locally)',
    ]);
  });

  it('accepts the image on the newest LTS line CI tests, and reports an older, an odd or an untagged one', () => {
    const tested = YAML.parse(readRepo('.github', 'workflows', 'ci.yml')).jobs.test.strategy.matrix.node;
    expect(checkImageNode(dockerfile, tested, 'Dockerfile')).to.deep.equal([]);
    const base = /ARG BASE_IMAGE=\S+/.exec(dockerfile)[0];
    expect(
      checkImageNode(dockerfile.replace(base, 'ARG BASE_IMAGE=node:20.20.2-bookworm-slim'), tested, 'Dockerfile'),
    ).to.deep.equal(['Dockerfile: the image runs Node 20, the newest line the CI tests is 24']);
    expect(
      checkImageNode(dockerfile.replace(base, 'ARG BASE_IMAGE=node:25.1.0-bookworm-slim'), ['25.1.0'], 'Dockerfile'),
    ).to.deep.equal(['Dockerfile: Node 25 is not an LTS line (even majors are)']);
    expect(
      checkImageNode(dockerfile.replace(base, 'ARG BASE_IMAGE=node:lts-slim'), tested, 'Dockerfile'),
    ).to.have.length(1);
  });
});

describe('checkDockerignore', () => {
  it('accepts the repository .dockerignore and reports a missing .env rule', () => {
    const text = readRepo('.dockerignore');
    expect(checkDockerignore(text, '.dockerignore')).to.deep.equal([]);
    expect(checkDockerignore(mutate(text, '\n.env\n', '\n'), '.dockerignore')).to.deep.equal([
      '.dockerignore: must exclude .env (.env)',
    ]);
  });
});
