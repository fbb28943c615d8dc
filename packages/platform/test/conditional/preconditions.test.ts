import { expect } from 'chai';
import type { Request } from 'express';
import { entityTag, ifMatchAllows, isServiceError } from '../../src/index.js';
import { parseEntityTags } from '../../src/conditional/entity-tag.js';
import { noneMatchHolds, readIfMatch, readIfNoneMatch } from '../../src/conditional/preconditions.js';

const requestWith = (headers: Record<string, string | string[]>): Request => ({ headers }) as unknown as Request;

describe('conditional requests (RFC 9110 §13)', () => {
  it('entityTag quotes an opaque value and refuses characters a tag cannot hold', () => {
    expect(entityTag('7')).to.equal('"7"');
    expect(entityTag('')).to.equal('""');
    for (const bad of ['a"b', 'a b', 'é', '\n'])
      expect(() => entityTag(bad)).to.throw(TypeError, /entity tag cannot hold/);
  });

  it('parses *, lists of strong and weak tags with empty elements, and refuses unquoted tags', () => {
    expect(parseEntityTags(' * ')).to.equal('*');
    expect(parseEntityTags('"a", W/"b",, "c"')).to.deep.equal([
      { opaque: 'a', weak: false },
      { opaque: 'b', weak: true },
      { opaque: 'c', weak: false },
    ]);
    for (const bad of ['a', '"a', 'W/a', '*, "a"', '', ' , ']) expect(parseEntityTags(bad), bad).to.equal(undefined);
  });

  it('If-Match keeps the strong tags only (strong comparison), * as any, and a malformed value is 400 BAD_REQUEST', () => {
    expect(readIfMatch(requestWith({}))).to.equal(undefined);
    expect(readIfMatch(requestWith({ 'if-match': '*' }))).to.deep.equal({ any: true });
    expect(readIfMatch(requestWith({ 'if-match': 'W/"1", "2"' }))).to.deep.equal({ any: false, tags: ['2'] });
    expect(readIfMatch(requestWith({ 'if-match': 'W/"1"' }))).to.deep.equal({ any: false, tags: [] });
    const bad = readIfMatch(requestWith({ 'if-match': '2' }));
    expect(isServiceError(bad) && bad.status === 400 && bad.code === 'BAD_REQUEST').to.equal(true);
  });

  it('ifMatchAllows: no header and * allow, a list allows what it names', () => {
    expect(ifMatchAllows(undefined, '3')).to.equal(true);
    expect(ifMatchAllows({ any: true }, '3')).to.equal(true);
    expect(ifMatchAllows({ any: false, tags: ['2', '3'] }, '3')).to.equal(true);
    expect(ifMatchAllows({ any: false, tags: ['2'] }, '3')).to.equal(false);
    expect(ifMatchAllows({ any: false, tags: [] }, '3')).to.equal(false);
  });

  it('If-None-Match compares weakly: W/"3" names "3"; * names any tag; nothing without an ETag', () => {
    const read = readIfNoneMatch(requestWith({ 'if-none-match': 'W/"3"' }));
    expect(read).to.deep.equal(['3']);
    expect(noneMatchHolds(['3'], '"3"')).to.equal(true);
    expect(noneMatchHolds(['3'], 'W/"3"')).to.equal(true);
    expect(noneMatchHolds(['4'], '"3"')).to.equal(false);
    expect(noneMatchHolds('*', '"3"')).to.equal(true);
    expect(noneMatchHolds('*', undefined)).to.equal(false);
    expect(isServiceError(readIfNoneMatch(requestWith({ 'if-none-match': 'x' })))).to.equal(true);
  });
});
