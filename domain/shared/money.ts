import { ValidationError } from './errors.ts';

/**
 * Money is an integer number of minor units (cents, agorot) plus an ISO 4217
 * currency. Never a float. Operations across currencies are refused.
 */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

const assertSafeInteger = (amount: number, what: string): void => {
  if (!Number.isSafeInteger(amount)) {
    throw new ValidationError(`${what} must be an integer number of minor units (got ${amount}).`);
  }
};

export const money = (amount: number, currency: string): Money => {
  assertSafeInteger(amount, 'amount');
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new ValidationError(
      `currency must be an ISO 4217 code such as "EUR" (got "${currency}").`,
    );
  }
  return { amount, currency };
};

export const zero = (currency: string): Money => money(0, currency);

const assertSameCurrency = (a: Money, b: Money): void => {
  if (a.currency !== b.currency) {
    throw new ValidationError(`Cannot combine ${a.currency} with ${b.currency}.`);
  }
};

export const add = (a: Money, b: Money): Money => {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
};

export const subtract = (a: Money, b: Money): Money => {
  assertSameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
};

export const sum = (currency: string, items: readonly Money[]): Money =>
  items.reduce((total, item) => add(total, item), zero(currency));

/**
 * Rounds a rational number of minor units `numerator / denominator` half-up
 * (half away from zero), in exact integer arithmetic.
 */
export const roundHalfUp = (numerator: bigint, denominator: bigint): number => {
  if (denominator <= 0n) throw new ValidationError('denominator must be positive.');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  return Number(negative ? -rounded : rounded);
};

/**
 * Multiplies by a decimal factor given as basis points (1/10 000): 1.15 → 11500,
 * 18% → 1800. Rounded half-up once, so a chain of factors should be combined
 * before calling this.
 */
export const multiplyBasisPoints = (value: Money, basisPoints: number): Money => {
  assertSafeInteger(basisPoints, 'basisPoints');
  return money(roundHalfUp(BigInt(value.amount) * BigInt(basisPoints), 10_000n), value.currency);
};

/**
 * Splits `total` into parts proportional to `weights` (non-negative integers,
 * at least one positive) by the largest-remainder method, so the parts always
 * sum exactly to `total`. Ties in the remainder go to the earlier part, which
 * keeps the split deterministic. Negative totals split like their magnitude.
 */
export const allocate = (total: Money, weights: readonly number[]): Money[] => {
  if (weights.length === 0) throw new ValidationError('allocate needs at least one weight.');
  weights.forEach((weight, i) => {
    if (!Number.isSafeInteger(weight) || weight < 0) {
      throw new ValidationError(
        `weights must be non-negative integers (weight ${i} is ${weight}).`,
      );
    }
  });
  const weightSum = weights.reduce((a, b) => a + BigInt(b), 0n);
  if (weightSum === 0n) throw new ValidationError('allocate needs at least one positive weight.');
  const negative = total.amount < 0;
  const magnitude = BigInt(Math.abs(total.amount));
  const shares = weights.map((weight, index) => {
    const exact = magnitude * BigInt(weight);
    return { index, floor: exact / weightSum, remainder: exact % weightSum };
  });
  let leftover = magnitude - shares.reduce((a, s) => a + s.floor, 0n);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  const extra = new Set<number>();
  for (const share of byRemainder) {
    if (leftover === 0n) break;
    extra.add(share.index);
    leftover -= 1n;
  }
  return shares.map((share) => {
    const amount = Number(share.floor) + (extra.has(share.index) ? 1 : 0);
    return money(negative && amount !== 0 ? -amount : amount, total.currency);
  });
};

/** Splits `total` into `parts` near-equal parts (the first ones get the extra minor units). */
export const allocateEvenly = (total: Money, parts: number): Money[] => {
  if (!Number.isSafeInteger(parts) || parts <= 0) {
    throw new ValidationError(`parts must be a positive integer (got ${parts}).`);
  }
  return allocate(
    total,
    Array.from({ length: parts }, () => 1),
  );
};
