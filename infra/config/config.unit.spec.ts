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
