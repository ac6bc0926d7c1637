/**
 * One Decider per stream type (Emmett's `typing/decider.ts` shape): all three
 * functions are pure. `decide` refuses a command by throwing a DomainError; it
 * returns `[]` when the command is an idempotent retry that changes nothing.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Rebuilds a stream's state from its events: the only way state is ever obtained. */
export const fold = <Command, Event, State>(
  decider: Decider<Command, Event, State>,
  events: readonly Event[],
  from: State = decider.initialState(),
): State => events.reduce((state, event) => decider.evolve(state, event), from);

/**
 * Decides a command against a stream's history and returns both the new events
 * and the state after them, which is what a command handler needs to append
 * and to answer.
 */
export const decideFrom = <Command, Event, State>(
  decider: Decider<Command, Event, State>,
  history: readonly Event[],
  command: Command,
): { events: Event[]; state: State } => {
  const before = fold(decider, history);
  const events = decider.decide(command, before);
  return { events, state: fold(decider, events, before) };
};
