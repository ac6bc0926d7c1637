import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);
const SCRIPT = new URL('./ciSummary.sh', import.meta.url).pathname;

interface Outcome {
  readonly code: number;
  readonly lastLine: string;
}

describe('.ci/run closing line (scripts/dev/ciSummary.sh)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ci-summary-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const summarise = async (
    checkStatus: number,
    testStatus: number,
    log: string,
  ): Promise<Outcome> => {
    const file = path.join(dir, `${checkStatus}-${testStatus}-${log.length}.log`);
    await writeFile(file, log);
    const lastLine = (stdout: string): string => stdout.trimEnd().split('\n').at(-1) ?? '';
    try {
      const { stdout } = await run('bash', [SCRIPT, String(checkStatus), String(testStatus), file]);
      return { code: 0, lastLine: lastLine(stdout) };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, lastLine: lastLine(failed.stdout) };
    }
  };

  it('repeats a green run', async () => {
    expect(await summarise(0, 0, 'spec output\n\n12 passed, 0 failed, 3 skipped\n')).to.deep.equal({
      code: 0,
      lastLine: '12 passed, 0 failed, 3 skipped',
    });
  });

  it('keeps the failures the test run counted', async () => {
    expect(await summarise(0, 1, '10 passed, 2 failed, 0 skipped\n')).to.deep.equal({
      code: 1,
      lastLine: '10 passed, 2 failed, 0 skipped',
    });
  });

  it('counts a failed make check as a failure', async () => {
    expect(await summarise(2, 0, '12 passed, 0 failed, 0 skipped\n')).to.deep.equal({
      code: 1,
      lastLine: '12 passed, 1 failed, 0 skipped',
    });
  });

  it('counts a test run that exits non-zero after a clean summary as a failure', async () => {
    expect(await summarise(0, 1, '12 passed, 0 failed, 0 skipped\n')).to.deep.equal({
      code: 1,
      lastLine: '12 passed, 1 failed, 0 skipped',
    });
  });

  it('counts a run that crashed before its summary as a failure', async () => {
    expect(await summarise(0, 134, 'Segmentation fault\n')).to.deep.equal({
      code: 1,
      lastLine: '0 passed, 1 failed, 0 skipped',
    });
  });

  it('adds both when make check and the tests fail', async () => {
    expect(await summarise(1, 1, '7 passed, 3 failed, 1 skipped\n')).to.deep.equal({
      code: 1,
      lastLine: '7 passed, 4 failed, 1 skipped',
    });
  });
});
