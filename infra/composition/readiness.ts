import type { Readiness } from '../http/ports.ts';

/** Ready only when every part is: the checks of each are merged under their own names. */
export const combineReadiness =
  (...parts: readonly (() => Promise<Readiness>)[]) =>
  async (): Promise<Readiness> => {
    const results = await Promise.all(parts.map((part) => part()));
    const degraded = results.flatMap((result) => result.degraded ?? []);
    return {
      ready: results.every((result) => result.ready),
      ...(degraded.length > 0 ? { degraded } : {}),
      checks: Object.assign({}, ...results.map((result) => result.checks)) as Readiness['checks'],
    };
  };
