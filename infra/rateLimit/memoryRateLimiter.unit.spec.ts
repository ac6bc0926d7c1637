import { expect } from 'chai';
import { createMemoryRateLimiter, slidingWindowStep } from './memoryRateLimiter.ts';

const WINDOW_MS = 60_000;

describe('in-process rate limiter', () => {
  it('admits exactly the limit in one window, then refuses with a Retry-After', async () => {
    let now = 10 * WINDOW_MS + 1_000;
    const limiter = createMemoryRateLimiter({
      perPrincipal: { limit: 3, windowSeconds: 60 },
      now: () => now,
    });
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.checkPrincipal('key_a'));
    expect(decisions.map((d) => d?.allowed)).to.deep.equal([true, true, true, false]);
    expect(decisions.map((d) => d?.remaining)).to.deep.equal([2, 1, 0, 0]);
    expect(decisions[3]?.limit).to.equal(3);
    expect(decisions[3]?.resetSeconds).to.equal(59);
    expect(decisions[3]?.retryAfterSeconds).to.be.within(59, 120);
    // another principal has its own window
    expect((await limiter.checkPrincipal('key_b'))?.allowed).to.equal(true);
    // two windows later everything has slid out
    now += 2 * WINDOW_MS;
    expect((await limiter.checkPrincipal('key_a'))?.allowed).to.equal(true);
  });

  it('slides: a full previous window still counts, weighted by what is left of it', () => {
    const full = { w: 9, c: 10, p: 0, windowMs: WINDOW_MS };
    // a quarter into window 10: 75 % of the previous 10 still count → 2 more fit under 10
    let state = full;
    let allowed = 0;
    for (let i = 0; i < 5; i++) {
      const step = slidingWindowStep(state, 10 * WINDOW_MS + WINDOW_MS / 4, 10, WINDOW_MS);
      state = step.state;
      if (step.reply[0] === 1) allowed++;
    }
    expect(allowed).to.equal(2);
  });

  it('uses a principal’s own per-minute limit when it has one', async () => {
    const limiter = createMemoryRateLimiter({
      perPrincipal: { limit: 2, windowSeconds: 60 },
      now: () => 5 * WINDOW_MS,
    });
    const own = [];
    for (let i = 0; i < 6; i++) own.push((await limiter.checkPrincipal('big', 5))?.allowed);
    expect(own).to.deep.equal([true, true, true, true, true, false]);
    expect((await limiter.checkPrincipal('big', 5))?.limit).to.equal(5);
  });

  it('counts IPs separately from principals, with their own limit', async () => {
    const limiter = createMemoryRateLimiter({
      perPrincipal: { limit: 1, windowSeconds: 60 },
      perIp: { limit: 2, windowSeconds: 60 },
      now: () => 7 * WINDOW_MS,
    });
    expect((await limiter.checkPrincipal('10.0.0.1'))?.allowed).to.equal(true);
    const ip = [];
    for (let i = 0; i < 3; i++) ip.push((await limiter.checkIp('10.0.0.1'))?.allowed);
    expect(ip).to.deep.equal([true, true, false]);
  });

  it('keeps memory bounded: ended windows and then the least recent subjects are evicted', async () => {
    let now = 3 * WINDOW_MS;
    const limiter = createMemoryRateLimiter({
      perIp: { limit: 1, windowSeconds: 60 },
      maxSubjects: 100,
      now: () => now,
    });
    for (let i = 0; i < 1_000; i++) await limiter.checkIp(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.trackedSubjects()).to.be.at.most(100);
    // the most recent subject is still counted (refused), so eviction kept the live ones
    expect((await limiter.checkIp('10.0.3.231'))?.allowed).to.equal(false);
    now += 3 * WINDOW_MS;
    await limiter.checkIp('fresh');
    for (let i = 0; i < 100; i++) await limiter.checkIp(`later-${i}`);
    expect(limiter.trackedSubjects()).to.be.at.most(100);
  });
});
