import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The Ed25519 key that signs audit exports, and what outsiders verify with. */
export interface AuditSigner {
  /** SPKI PEM of the public key (served at GET /api/v1/audit/public-key). */
  readonly publicKeyPem: string;
  /** First 16 hex digits of sha256(SPKI DER): names the key in every export. */
  readonly keyId: string;
  /** Base64 Ed25519 signature of the UTF-8 bytes of `message`. */
  sign(message: string): string;
}

const toSigner = (privateKey: KeyObject): AuditSigner => {
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      'AUDIT_SIGNING_KEY must be an Ed25519 key (openssl genpkey -algorithm ed25519).',
    );
  }
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
};

export const signerFromPem = (pem: string): AuditSigner => toSigner(createPrivateKey(pem));

/** The key from AUDIT_SIGNING_KEY, else from `file`, generated there (mode 0600) on first use. */
export const loadAuditSigner = async (options: {
  readonly pem?: string | undefined;
  readonly file: string;
}): Promise<AuditSigner> => {
  if (options.pem !== undefined) return signerFromPem(options.pem);
  try {
    return signerFromPem(await readFile(options.file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await mkdir(dirname(options.file), { recursive: true });
  // 'wx': a second process generating at the same moment loses and reads the winner's key.
  await writeFile(options.file, pem, { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return signerFromPem(await readFile(options.file, 'utf8'));
};
