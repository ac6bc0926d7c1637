import type { PriceFactor, QuoteLine } from '../../domain/pricing/quoteSchema.ts';

const formatFactor = (factor: PriceFactor): string => {
  switch (factor.unit) {
    case 'basisPoints':
      return `${factor.name} (${factor.input}) × ${(factor.value / 10_000).toFixed(4)}`;
    case 'minorUnits':
      return `${factor.name} (${factor.input}) ${factor.value} minor units`;
    case 'count':
      return `${factor.name} × ${factor.value}`;
    default: {
      const _never: never = factor.unit;
      return String(_never);
    }
  }
};

/** One sentence per line, in the order the quote computed it, for people reading the quote. */
export const explainLine = (line: QuoteLine): string =>
  `${line.id} = ${line.amount.amount} ${line.amount.currency}: ${line.factors.map(formatFactor).join(', ')}`;
