import type { Decider } from '../shared/decider.ts';
import type { ResourceCommand } from './commands.ts';
import { decideResource } from './decide.ts';
import type { ResourceEvent } from './events.ts';
import type { ResourceState } from './state.ts';
import { evolveResource, initialResourceState } from './state.ts';

/** The Resource aggregate: one `resource-{id}` stream. */
export const resourceDecider: Decider<ResourceCommand, ResourceEvent, ResourceState> = {
  decide: decideResource,
  evolve: evolveResource,
  initialState: initialResourceState,
};
