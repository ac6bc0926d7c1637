import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, IdGenerator } from '../../commands/shared/ports.ts';

/** The wall clock: the only `new Date()` the write side ever sees, injected from here. */
export const systemClock: Clock = { now: () => new Date() };

export const cryptoIds: IdGenerator = {
  uuid: () => randomUUID(),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
};
