import { expect } from 'chai';
import { parseBody } from '../../src/client/response.js';

describe('parseBody', () => {
  it('parses JSON and +json types, returns other types as text and empty bodies as undefined', () => {
    expect(parseBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8')).to.deep.equal({ a: 1 });
    expect(parseBody(Buffer.from('{"a":1}'), 'application/problem+json')).to.deep.equal({ a: 1 });
    expect(parseBody(Buffer.from('{"a":1}'), 'text/plain')).to.equal('{"a":1}');
    expect(parseBody(Buffer.from('hi'), undefined)).to.equal('hi');
    expect(parseBody(Buffer.alloc(0), 'application/json')).to.equal(undefined);
  });

  it('throws without quoting the body when JSON does not parse', () => {
    expect(() => parseBody(Buffer.from('{"password":"hunter2'), 'application/json'))
      .to.throw(/does not parse/)
      .that.satisfies((e: Error) => !e.message.includes('hunter2') && e.cause === undefined);
  });
});
