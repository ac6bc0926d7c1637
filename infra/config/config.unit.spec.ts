import { expect } from 'chai';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).to.equal(3000);
    expect(config.DATABASE_URL).to.equal(undefined);
    expect(config.DATABASE_SCHEMA).to.equal('public');
  });

  it('reads and coerces the variables it knows', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/x',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.PORT).to.equal(8080);
    expect(config.DATABASE_URL).to.equal('postgres://u@db:5432/x');
  });

  it('reads the rate limits (seed 001 defaults) and the Redis key prefix', () => {
    const defaults = loadConfig({});
    expect(defaults.RATE_LIMIT_PER_PRINCIPAL).to.equal(100);
    expect(defaults.RATE_LIMIT_PER_IP).to.equal(1000);
    expect(defaults.REDIS_KEY_PREFIX).to.equal(undefined);
    const set = loadConfig({
      RATE_LIMIT_PER_PRINCIPAL: '250',
      RATE_LIMIT_PER_IP: '5000',
      REDIS_KEY_PREFIX: 'acme-prod:',
    });
    expect([set.RATE_LIMIT_PER_PRINCIPAL, set.RATE_LIMIT_PER_IP]).to.deep.equal([250, 5000]);
    expect(set.REDIS_KEY_PREFIX).to.equal('acme-prod:');
    for (const bad of [
      { RATE_LIMIT_PER_PRINCIPAL: '0' },
      { RATE_LIMIT_PER_IP: 'lots' },
      { REDIS_KEY_PREFIX: 'has space' },
      { REDIS_KEY_PREFIX: 'x'.repeat(65) },
    ]) {
      expect(() => loadConfig(bad), JSON.stringify(bad)).to.throw(ConfigError, Object.keys(bad)[0]);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).to.equal(undefined);
  });

  it('names every bad variable in one error', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', STRIPE_SECRET_KEY: 'pk_live' });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).to.contain('PORT');
    expect(message).to.contain('DATABASE_URL');
    expect(message).to.contain('STRIPE_SECRET_KEY');
  });

  it('refuses a short admin key rather than accepting a weak credential', () => {
    expect(() => loadConfig({ ADMIN_API_KEY: 'short' })).to.throw(ConfigError, /ADMIN_API_KEY/);
  });
});
