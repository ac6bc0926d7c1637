import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CONSOLE_DIST } from '../consoleStatic.ts';

const CONSOLE_ROOT = join(CONSOLE_DIST, '..');

const newestSource = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
};

const builtAt = (): number => {
  try {
    return statSync(join(CONSOLE_DIST, 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
};

/** Builds the console (vite) when `console/dist` is missing or older than a source file. */
export const ensureConsoleBuilt = async (): Promise<void> => {
  const sources = Math.max(
    newestSource(join(CONSOLE_ROOT, 'src')),
    statSync(join(CONSOLE_ROOT, 'index.html')).mtimeMs,
    statSync(join(CONSOLE_ROOT, 'vite.config.ts')).mtimeMs,
  );
  if (builtAt() >= sources) return;
  await promisify(execFile)('npx', ['vite', 'build', 'console'], {
    cwd: join(CONSOLE_ROOT, '..'),
  });
};
