import { describe, it } from 'mocha';
import { expect } from 'chai';
import { checkDocs } from '../src/check.mjs';
import { anchorsOf, referencesOf } from '../src/references.mjs';
import { scopeOf } from '../src/resolve.mjs';

function check(files, { ignored, roots = () => ['.'] } = {}) {
  const scope = scopeOf(Object.keys(files));
  const docs = Object.keys(files).filter((f) => f.endsWith('.md'));
  return checkDocs({ scope, docs, read: (p) => files[p], roots, ignored, where: 'here' });
}

describe('referencesOf', () => {
  it('finds link targets and file names in text, inline code and tables, not in fenced code', () => {
    const text =
      'See [the guide](docs/guide.md#setup) and `etc/*.api.md`.\n\nRead CONTRACT.md first.\n\n| file |\n|---|\n| `src/main.ts` |\n\n```sh\nnode dist/missing.js\n```\n';
    expect(referencesOf(text).map((r) => `${r.kind}:${r.target}@${r.line}`)).to.deep.equal([
      'link:docs/guide.md#setup@1',
      'name:etc/*.api.md@1',
      'name:CONTRACT.md@3',
      'name:src/main.ts@7',
    ]);
  });

  it('leaves out URLs, absolute paths, placeholders, versions, Node.js and calls', () => {
    const text =
      'Runs on Node.js 20. [site](https://example.com/a.md), `/run/secrets/x.json`, `packages/<service>/src/config.ts`, `v1.2.3`, `${DIR}/a.ts`, `express.json()`.';
    expect(referencesOf(text)).to.deep.equal([]);
  });

  it('makes GitHub anchors from headings', () => {
    expect([...anchorsOf('# Title\n## A service in a dozen lines\n### `createAuth(options)`\n')]).to.deep.equal([
      'title',
      'a-service-in-a-dozen-lines',
      'createauthoptions',
    ]);
  });
});

describe('checkDocs', () => {
  it('accepts links and names that resolve beside the doc, from a root, or as a bare name anywhere', () => {
    const files = {
      'README.md': '[docs](docs/a.md#a) `docs/a.md` `b.ts` `etc/*.api.md` [self](#readme)\n# Readme\n',
      'docs/a.md': '# A\n[up](../README.md) `../src/b.ts`\n',
      'src/b.ts': '',
      'etc/platform.api.md': '',
    };
    expect(check(files)).to.deep.equal([]);
  });

  it('reports a missing file, a missing anchor, a glob matching nothing and a link out of the scope', () => {
    const files = {
      'README.md': 'Read CONTRACT.md.\n[x](docs/a.md#nope)\n`etc/*.api.md`\n[out](../outside.md)\n[here](#missing)\n',
      'docs/a.md': '# A\n',
    };
    expect(check(files)).to.deep.equal([
      'README.md:1: file name "CONTRACT.md" resolves to nothing here',
      'README.md:2: link "docs/a.md#nope": docs/a.md has no heading "#nope"',
      'README.md:3: file name "etc/*.api.md" resolves to nothing here',
      'README.md:4: link "../outside.md" resolves to nothing here',
      'README.md:5: link "#missing" names no heading of this doc',
    ]);
  });

  it('lets the caller accept names the scope lacks on purpose (generated files), never links', () => {
    const files = { 'README.md': '`dist/main.js` [built](dist/main.js)\n' };
    expect(check(files, { ignored: (paths) => paths[0] === 'dist/main.js' })).to.deep.equal([
      'README.md:1: link "dist/main.js" resolves to nothing here',
    ]);
  });
});
