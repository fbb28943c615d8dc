import { expect } from 'chai';
import { behind } from '../../src/fleet/behind.js';
import { parseServiceFile } from '../../src/fleet/service-file.js';

describe('behind', () => {
  it("names the most significant part that is lower, by UPGRADING's positions (0.MINOR breaks before 1.0), current when equal or newer, null without a version", () => {
    expect(behind('1.4.2', '2.0.0')).to.equal('major');
    expect(behind('1.4.2', '1.5.0')).to.equal('minor');
    expect(behind('1.5.0', '1.5.2')).to.equal('patch');
    expect(behind('1.5.0-rc.1', '1.5.0')).to.equal('patch');
    // Before 1.0 everything moves one position to the right.
    expect(behind('0.0.9', '0.1.0')).to.equal('major');
    expect(behind('0.1.9', '0.2.0')).to.equal('major');
    expect(behind('0.2.0', '0.2.3')).to.equal('minor');
    expect(behind('0.2.0-rc.1', '0.2.0')).to.equal('patch');
    expect(behind('0.9.0', '1.0.0')).to.equal('major');
    expect(behind('0.2.0', '0.2.0')).to.equal('current');
    expect(behind('0.3.0', '0.2.0')).to.equal('current');
    expect(behind(null, '0.2.0')).to.equal(null);
    expect(behind('unknown', '0.2.0')).to.equal(null);
  });
});

describe('parseServiceFile', () => {
  it('reads services with their conformance options, and skips empty documents', () => {
    const text =
      'services:\n  - name: orders\n    url: https://orders.example.com/\n    protected: GET /api/v1/orders\n    origin: https://app.example.com\n---\n';
    expect(parseServiceFile(text, 'f.yaml')).to.deep.equal([
      {
        name: 'orders',
        url: 'https://orders.example.com',
        protected: 'GET /api/v1/orders',
        origin: 'https://app.example.com',
      },
    ]);
  });

  it('refuses what it cannot use, naming the file, the document and the entry', () => {
    const cases: [string, RegExp][] = [
      ['services: {}', /f\.yaml \(document 1\): services must be a list/],
      ['services:\n  - { name: a }', /services\[0\] needs both name and url/],
      ['services:\n  - { name: a, url: ftp://x }', /services\[0\]\.url: not an http\(s\) URL/],
      ['services:\n  - { name: a, url: "http://x", team: b }', /unknown key team/],
      ['hello: world', /expected services: \[\.\.\.\] or Backstage entities/],
      ['services: [', /not valid YAML/],
      [
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  annotations: { org-platform/base-url: "http://x" }',
        /has no metadata\.name/,
      ],
    ];
    for (const [text, message] of cases) expect(() => parseServiceFile(text, 'f.yaml'), text).to.throw(message);
  });
});
