import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The key that wraps every guest data key (the top of the key hierarchy, docs/personal-data.md). */
export interface PiiMasterKey {
  /** First 16 hex digits of sha256(key): recorded beside each wrapped key, names it in errors. */
  readonly id: string;
  /** 32 bytes (AES-256). */
  readonly key: Buffer;
}

const MASTER_KEY_BYTES = 32;

/** Reads a master key written as 64 hex digits or base64 of 32 bytes; throws a message naming PII_MASTER_KEY otherwise. */
export const parsePiiMasterKey = (text: string): PiiMasterKey => {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : Buffer.alloc(0);
  if (key.length !== MASTER_KEY_BYTES) {
    throw new Error(
      'PII_MASTER_KEY must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32).',
    );
  }
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
};

/**
 * The master key from PII_MASTER_KEY, else from `file`, generated there (mode
 * 0600) on first use — the embedded default, like the audit signing key.
 */
export const loadPiiMasterKey = async (options: {
  readonly value?: string | undefined;
  readonly file: string;
}): Promise<PiiMasterKey> => {
  if (options.value !== undefined) return parsePiiMasterKey(options.value);
  try {
    return parsePiiMasterKey(await readFile(options.file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(options.file), { recursive: true });
  // 'wx': a second process generating at the same moment loses and reads the winner's key.
  await writeFile(options.file, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`, {
    mode: 0o600,
    flag: 'wx',
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return parsePiiMasterKey(await readFile(options.file, 'utf8'));
};
