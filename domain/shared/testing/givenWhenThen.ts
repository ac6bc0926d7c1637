import { expect } from 'chai';
import type { Decider } from '../decider.ts';
import { fold } from '../decider.ts';
import { DomainError } from '../errors.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The outcome side of a given/when/then test. */
export interface Outcome<Event, State> {
  /** Asserts the decided events (deep equality, in order); returns the state after them. */
  then(expected: readonly Event[]): State;
  /** Asserts the command is refused with this error class and, if given, this DomainError code. */
  thenThrows(errorClass: ErrorClass, code?: string): DomainError | Error;
  /** Asserts the state after the decided events (deep equality). */
  thenState(expected: State): void;
}

export interface Given<Command, Event, State> {
  when(command: Command): Outcome<Event, State>;
}

/**
 * `given(decider, [events]).when(command).then([events])`. Note: `Outcome`
 * has a `then` method, so never `await` or return it from an async test —
 * call one of its methods.
 */
export const given = <Command, Event, State>(
  decider: Decider<Command, Event, State>,
  history: readonly Event[],
): Given<Command, Event, State> => ({
  when: (command) => {
    const state = fold(decider, history);
    const run = (): Event[] => decider.decide(command, state);
    return {
      then: (expected) => {
        const events = run();
        expect(events).to.deep.equal(expected);
        return fold(decider, events, state);
      },
      thenThrows: (errorClass, code) => {
        let caught: unknown;
        let decided: Event[] | undefined;
        try {
          decided = run();
        } catch (error) {
          caught = error;
        }
        if (decided !== undefined) {
          expect.fail(
            `Expected ${errorClass.name} but the command decided ${JSON.stringify(decided)}.`,
          );
        }
        expect(caught).to.be.instanceOf(errorClass);
        if (code !== undefined) {
          expect(caught).to.be.instanceOf(DomainError);
          expect((caught as DomainError).code).to.equal(code);
        }
        return caught as Error;
      },
      thenState: (expected) => {
        expect(fold(decider, run(), state)).to.deep.equal(expected);
      },
    };
  },
});
