import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';

const NEW_DOC =
  '# Benchmarks\n\nEach part of `make bench` writes its own section between its markers.\n';

/** The markers around one benchmark's section of docs/benchmarks.md. */
export const benchMarkers = (name: string) => ({
  start: `<!-- bench:${name}:start -->`,
  end: `<!-- bench:${name}:end -->`,
});

/**
 * Replaces only `name`'s marked section of the doc (appending it the first
 * time), keeping the other benchmarks' sections, and formats the doc as
 * `make check` expects (Prettier pads the table columns).
 */
export const writeDocSection = async (
  path: string,
  name: string,
  section: string,
): Promise<void> => {
  const { start, end } = benchMarkers(name);
  const doc = await readFile(path, 'utf8').catch(() => NEW_DOC);
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  const next =
    from >= 0 && to > from
      ? doc.slice(0, from) + section + doc.slice(to + end.length)
      : `${doc.trimEnd()}\n\n${section}\n`;
  const options = (await resolveConfig(path)) ?? {};
  await writeFile(path, await format(next, { ...options, parser: 'markdown' }));
};

/** Writes a benchmark's raw result as `<dir>/<stem>.json`; returns the path. */
export const writeResultJson = async (
  dir: string,
  stem: string,
  report: unknown,
): Promise<string> => {
  await mkdir(dir, { recursive: true });
  const path = `${dir}/${stem}.json`;
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
};
