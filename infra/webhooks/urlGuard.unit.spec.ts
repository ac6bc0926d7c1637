import { expect } from 'chai';
import { createUrlGuard, isBlockedAddress } from './urlGuard.ts';

describe('webhook SSRF guard', () => {
  it('blocks private, loopback, link-local, reserved and mapped addresses, and allows public ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a00:1',
    ])
      expect(isBlockedAddress(address), address).to.equal(true);
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])
      expect(isBlockedAddress(address), address).to.equal(false);
  });

  const guard = createUrlGuard({
    allowedHosts: ['127.0.0.1:8080'],
    resolve: (host) =>
      Promise.resolve(
        host === 'hooks.example.com'
          ? ['93.184.216.34']
          : host === 'rebind.example.com'
            ? ['93.184.216.34', '10.0.0.7']
            : host === 'localhost'
              ? ['127.0.0.1']
              : [],
      ),
  });
  const refused = async (url: string) => {
    try {
      await guard.assertAllowed(url);
    } catch (error) {
      return (error as { code: string }).code;
    }
    return 'accepted';
  };

  it('refuses http, credentials, literal and resolved internal addresses, unless allow-listed', async () => {
    expect(await refused('https://hooks.example.com/in')).to.equal('accepted');
    expect(await refused('http://127.0.0.1:8080/in')).to.equal('accepted');
    for (const url of [
      'http://hooks.example.com/in',
      'https://user:pw@hooks.example.com/in',
      'https://rebind.example.com/in',
      'https://localhost/in',
      'https://127.0.0.1/in',
      'http://127.0.0.1:8081/in',
      'https://[::1]/in',
      'https://[fe80::1]/in',
      'https://169.254.169.254/latest/meta-data',
      'https://2130706433/',
      'https://unresolvable.example.com/',
      'ftp://hooks.example.com/',
      'not a url',
    ])
      expect(await refused(url), url).to.equal('WEBHOOK_URL_REFUSED');
  });
});
