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
    throw new ValidationError(`currency must be an ISO 4217 code such as "EUR" (got "${currency}").`);
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
