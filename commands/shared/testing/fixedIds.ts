import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '../ports.ts';

/** Real ids for tests that only need them unique. */
export const testIds: IdGenerator = {
  uuid: () => randomUUID(),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
};

/** A clock the test moves by hand. */
export const createManualClock = (
  start: string,
): Clock & { advance(ms: number): void; set(iso: string): void } => {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (iso) => {
      now = new Date(iso).getTime();
    },
  };
};
