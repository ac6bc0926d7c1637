import { expect } from 'chai';
import { canonicalJson, contentHash, fnv1a64 } from './canonicalJson.ts';

describe('canonical JSON and FNV-1a', () => {
  it('ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).to.equal(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(contentHash({ a: 1, b: 2 })).to.equal(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).not.to.equal(contentHash({ a: 2 }));
  });
  it('matches the FNV-1a 64 reference vectors', () => {
    expect(fnv1a64('')).to.equal('cbf29ce484222325');
    expect(fnv1a64('a')).to.equal('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).to.equal('85944171f73967e8');
  });
});
