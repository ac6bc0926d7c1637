import { execFile, fork, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { RowResult, StoreName } from './harness.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

export interface Worker {
  readonly child: ChildProcess;
  ask(request: WorkerRequest): Promise<RowResult | undefined>;
}

/** A child process running one store (see worker.ts), answering one request at a time. */
export const startWorker = (
  store: StoreName,
  connectionString: string,
  schema: string,
  cwd: string,
): Worker => {
  const child = fork(
    fileURLToPath(new URL('./worker.ts', import.meta.url)),
    [store, connectionString, schema],
    { execArgv: ['--import', 'tsx'], serialization: 'advanced', cwd },
  );
  return {
    child,
    ask: (request) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) =>
          reject(new Error(`The ${store} worker exited with code ${code}.`));
        child.once('exit', onExit);
        child.once('message', (reply: WorkerReply) => {
          child.off('exit', onExit);
          if (reply.ok) resolve(reply.result);
          else reject(new Error(`The ${store} worker failed: ${reply.error}`));
        });
        child.send(request);
      }),
  };
};

// Read from disk: some packages do not export their package.json.
export const packageVersion = async (root: string, name: string): Promise<string> =>
  (
    JSON.parse(await readFile(`${root}/node_modules/${name}/package.json`, 'utf8')) as {
      version: string;
    }
  ).version;

const git = async (cwd: string, ...args: string[]): Promise<string> =>
  (await promisify(execFile)('git', args, { cwd })).stdout.trimEnd();

/** The commit being measured and the store files that differ from it. */
export const codeVersion = async (
  root: string,
): Promise<{ commit: string; storeFilesDirty: string[] }> => {
  try {
    const commit = await git(root, 'rev-parse', '--short', 'HEAD');
    const status = await git(
      root,
      'status',
      '--porcelain',
      '--',
      'infra/eventStore/postgres',
      'infra/eventStore/hashChain.ts',
      'infra/eventStore/appendRules.ts',
      'infra/postgres',
    );
    const dirty = status
      .split('\n')
      .filter(Boolean)
      .map((entry) => entry.slice(3));
    return { commit, storeFilesDirty: dirty };
  } catch {
    return { commit: 'unknown (not a git checkout)', storeFilesDirty: [] };
  }
};
