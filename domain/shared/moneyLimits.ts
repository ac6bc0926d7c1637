import { DomainError, type ErrorDetails } from './errors.ts';

/**
 * The one money ceiling, in integer minor units (docs/operations.md "Money
 * limits"). Every amount someone configures — a price, an override, a fee, a
 * promo's fixed amount, a deposit, a fixed refund, a city tax — is at most
 * MAX_MONEY_AMOUNT; every amount the system computes from them — a quote
 * line, a subtotal, a total — is at most MAX_MONEY_TOTAL. Both sit far below
 * 2^53 (≈ 9.007e15), so sums of totals stay exact integers in JSON and
 * JavaScript with three orders of magnitude to spare.
 */
export const MAX_MONEY_AMOUNT = 100_000_000_000; // 10^11: 1 billion major units at 2 decimals
export const MAX_MONEY_TOTAL = 10_000_000_000_000; // 10^13: 100 billion major units at 2 decimals

/** An amount past the documented ceiling (HTTP 422 MONEY_LIMIT_EXCEEDED). Nothing is appended. */
export class MoneyLimitExceededError extends DomainError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('MONEY_LIMIT_EXCEEDED', message, details);
  }
}

/** A configured amount: throws when it is past MAX_MONEY_AMOUNT. */
export const assertConfiguredAmount = (amount: number, path: string): void => {
  if (amount > MAX_MONEY_AMOUNT || amount < -MAX_MONEY_AMOUNT) {
    throw new MoneyLimitExceededError(
      `${path} is ${amount} minor units; configured amounts are at most ${MAX_MONEY_AMOUNT}.`,
      { path, amount, limit: MAX_MONEY_AMOUNT },
    );
  }
};

/** A computed amount (a line or a sum): throws when it is past MAX_MONEY_TOTAL. */
export const assertComputedAmount = (amount: number, what: string): void => {
  if (!(amount <= MAX_MONEY_TOTAL && amount >= -MAX_MONEY_TOTAL)) {
    throw new MoneyLimitExceededError(
      `The ${what} would be past ${MAX_MONEY_TOTAL} minor units, the ceiling of any price or total; book fewer units or nights, or ask the vendor to correct the price.`,
      { what, limit: MAX_MONEY_TOTAL },
    );
  }
};

/** Sums computed amounts, refusing as soon as the running total passes MAX_MONEY_TOTAL. */
export const sumWithinCeiling = (amounts: Iterable<number>, what: string): number => {
  let total = 0;
  for (const amount of amounts) {
    assertComputedAmount(amount, what);
    total += amount;
    assertComputedAmount(total, what);
  }
  return total;
};
