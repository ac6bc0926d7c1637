import { expect } from 'chai';
import { hashPassword, verifyPassword } from './passwords.ts';

const cost = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('s3cret-passphrase', cost);
    expect(hash).to.match(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(hash).to.not.include('s3cret');
    expect(await verifyPassword('s3cret-passphrase', hash)).to.equal(true);
    expect(await verifyPassword('s3cret-passphrasE', hash)).to.equal(false);
  });

  it('salts per hash and treats malformed hashes as a mismatch', async () => {
    expect(await hashPassword('same', cost)).to.not.equal(await hashPassword('same', cost));
    expect(await verifyPassword('x', 'not-a-hash')).to.equal(false);
    expect(await verifyPassword('x', 'scrypt$1024$8$1$AAAA$')).to.equal(false);
  });
});
