import { expect } from 'chai';
import { AnswerCache, matchesEtag } from './answerCache.ts';

describe('AnswerCache', () => {
  it('is bounded: the least recently used entry goes first', () => {
    const cache = new AnswerCache(3);
    for (const key of ['a', 'b', 'c']) cache.set(key, { etag: key, body: key, validUntil: 100 });
    expect(cache.get('a', 0)?.body).to.equal('a'); // a is now the most recent
    cache.set('d', { etag: 'd', body: 'd', validUntil: 100 });
    expect(cache.size).to.equal(3);
    expect(cache.get('b', 0)).to.equal(undefined);
    expect(cache.get('a', 0)?.body).to.equal('a');
    expect(cache.get('d', 0)?.body).to.equal('d');
    for (let i = 0; i < 1_000; i++) cache.set(`k${i}`, { etag: '', body: i, validUntil: 100 });
    expect(cache.size).to.equal(3);
  });

  it('drops an entry once now reaches its validity (a stored hold expiry)', () => {
    const cache = new AnswerCache(3);
    cache.set('a', { etag: 'a', body: 1, validUntil: 50 });
    expect(cache.get('a', 49)?.body).to.equal(1);
    expect(cache.get('a', 50)).to.equal(undefined);
    expect(cache.size).to.equal(0);
  });

  it('matches If-None-Match lists, weak forms and *', () => {
    expect(matchesEtag('"x", W/"y"', '"y"')).to.equal(true);
    expect(matchesEtag('*', '"y"')).to.equal(true);
    expect(matchesEtag('"x"', '"y"')).to.equal(false);
    expect(matchesEtag(undefined, '"y"')).to.equal(false);
  });
});
