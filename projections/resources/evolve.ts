import type { ResourceEvent } from '../../domain/resource/events.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { evolveResource, type ResourceState } from '../../domain/resource/state.ts';

/** A resource as search and pricing read it: the full configuration plus lifecycle. */
export interface ResourceRow {
  readonly resourceId: string;
  readonly status: 'active' | 'retired';
  readonly config: ResourceConfig;
  readonly registeredAt: string;
  readonly retiredAt: string | null;
  /** Events folded so far (the stream revision of the last one + 1). */
  readonly version: number;
}

const toState = (row: ResourceRow | undefined): ResourceState => {
  if (row === undefined) return { status: 'Unregistered' };
  return row.status === 'retired'
    ? {
        status: 'Retired',
        resourceId: row.resourceId,
        config: row.config,
        retiredAt: row.retiredAt ?? '',
      }
    : { status: 'Active', resourceId: row.resourceId, config: row.config };
};

/**
 * Pure: the resource decider's fold mapped to the stored row. An event at a
 * revision already folded is skipped, so redelivery changes nothing.
 */
export const evolveResourceRow = (
  row: ResourceRow | undefined,
  event: ResourceEvent,
  revision: number,
): ResourceRow => {
  if (row !== undefined && revision < row.version) return row;
  const state = evolveResource(toState(row), event);
  if (state.status === 'Unregistered') throw new Error('A resource row needs a registration.');
  return {
    resourceId: state.resourceId,
    status: state.status === 'Retired' ? 'retired' : 'active',
    config: state.config,
    registeredAt:
      event.type === 'ResourceRegistered' ? event.data.registeredAt : (row?.registeredAt ?? ''),
    retiredAt: state.status === 'Retired' ? state.retiredAt : null,
    version: revision + 1,
  };
};
