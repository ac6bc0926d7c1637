import { expect } from 'chai';
import type { Decider } from '../decider.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { given } from './givenWhenThen.ts';

type Cmd = { type: 'Add'; n: number };
type Ev = { type: 'Added'; n: number };
const counter: Decider<Cmd, Ev, number> = {
  initialState: () => 0,
  evolve: (s, e) => s + e.n,
  decide: (c, s) => {
    if (c.n <= 0) throw new ValidationError('n must be positive.');
    if (s + c.n > 3) throw new ConflictError('FULL', 'The counter is full.');
    return [{ type: 'Added', n: c.n }];
  },
};

describe('given/when/then helper', () => {
  it('passes on the decided events and returns the next state', () => {
    const state = given(counter, [{ type: 'Added', n: 1 }])
      .when({ type: 'Add', n: 2 })
      .then([{ type: 'Added', n: 2 }]);
    expect(state).to.equal(3);
  });
  it('fails when the events differ', () => {
    expect(() => given(counter, []).when({ type: 'Add', n: 2 }).then([])).to.throw();
  });
  it('checks the error class and code', () => {
    given(counter, [{ type: 'Added', n: 3 }])
      .when({ type: 'Add', n: 1 })
      .thenThrows(ConflictError, 'FULL');
    expect(() =>
      given(counter, [{ type: 'Added', n: 3 }])
        .when({ type: 'Add', n: 1 })
        .thenThrows(ConflictError, 'OTHER'),
    ).to.throw();
    expect(() => given(counter, []).when({ type: 'Add', n: 1 }).thenThrows(Error)).to.throw(
      /Expected Error/,
    );
  });
  it('checks the state', () => {
    given(counter, []).when({ type: 'Add', n: 1 }).thenState(1);
    expect(() => given(counter, []).when({ type: 'Add', n: 1 }).thenState(2)).to.throw();
  });
});
