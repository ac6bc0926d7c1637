import { expect } from 'chai';
import fc from 'fast-check';
import { ValidationError } from './errors.ts';
import { allocate, allocateEvenly, money } from './money.ts';

const amounts = (ms: readonly { amount: number }[]): number[] => ms.map((m) => m.amount);

describe('money allocation', () => {
  it('splits by weights with the largest remainder', () => {
    expect(amounts(allocate(money(100, 'EUR'), [1, 1, 1]))).to.deep.equal([34, 33, 33]);
    expect(amounts(allocate(money(5, 'EUR'), [3, 7]))).to.deep.equal([2, 3]);
    expect(amounts(allocate(money(-100, 'EUR'), [1, 1, 1]))).to.deep.equal([-34, -33, -33]);
    expect(amounts(allocate(money(10, 'EUR'), [0, 1]))).to.deep.equal([0, 10]);
    expect(amounts(allocateEvenly(money(1001, 'ILS'), 4))).to.deep.equal([251, 250, 250, 250]);
  });

  it('refuses empty, negative or all-zero weights', () => {
    expect(() => allocate(money(1, 'EUR'), [])).to.throw(ValidationError);
    expect(() => allocate(money(1, 'EUR'), [1, -1])).to.throw(ValidationError);
    expect(() => allocate(money(1, 'EUR'), [0, 0])).to.throw(ValidationError);
    expect(() => allocateEvenly(money(1, 'EUR'), 0)).to.throw(ValidationError);
  });

  it('always sums exactly and each part is within one unit of its exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc
          .array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 12 })
          .filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = allocate(money(total, 'USD'), weights);
          expect(parts.reduce((a, p) => a + p.amount, 0)).to.equal(total);
          const weightSum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((part, i) => {
            expect(part.currency).to.equal('USD');
            expect(Math.abs(part.amount - (total * (weights[i] ?? 0)) / weightSum)).to.be.lessThan(
              1,
            );
          });
        },
      ),
    );
  });
});
