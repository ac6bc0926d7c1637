/**
 * What the write side needs from the outside world besides the log. The
 * composition root injects real ones; tests inject fixed ones so decisions
 * (expiry, booking references) are reproducible.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

export interface IdGenerator {
  /** A fresh RFC 4122 v4 UUID (event ids, reservation ids). */
  uuid(): string;
  /** `length` cryptographically random bytes (booking reference entropy). */
  randomBytes(length: number): Uint8Array;
}
