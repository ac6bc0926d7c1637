import type { ResourceChanges } from './changes.ts';
import type { ResourceConfigInput } from './schema.ts';

/** Commands to the Resource decider; `now` is an ISO 8601 instant. */
export interface RegisterResource {
  readonly type: 'RegisterResource';
  readonly resourceId: string;
  readonly config: ResourceConfigInput;
  readonly now: string;
}
/** Partial changes; each changed group becomes its own event, unchanged groups decide nothing. */
export interface ChangeResource {
  readonly type: 'ChangeResource';
  readonly resourceId: string;
  readonly changes: ResourceChanges;
  readonly now: string;
}
export interface RetireResource {
  readonly type: 'RetireResource';
  readonly resourceId: string;
  readonly reason: string;
  readonly now: string;
}

export type ResourceCommand = RegisterResource | ChangeResource | RetireResource;
