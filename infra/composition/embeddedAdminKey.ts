import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * For the zero-setup embedded default only: an admin API key made at first
 * start and kept beside the data (mode 600), so `make run` is usable at once.
 * Never a code default; with ADMIN_API_KEY set this is not used.
 */
export const ensureEmbeddedAdminKey = async (
  dataDir: string,
): Promise<{ key: string; file: string }> => {
  const file = path.join(path.resolve(dataDir), '..', 'admin-api-key');
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  }
  return { key: (await readFile(file, 'utf8')).trim(), file };
};
