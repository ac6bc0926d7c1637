import type { ResourceSnapshot } from '../../domain/reservation/eventParts.ts';
import { resourceDecider } from '../../domain/resource/resourceDecider.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import { ConflictError, NotFoundError } from '../../domain/shared/errors.ts';
import { resourceStream } from '../../domain/shared/streams.ts';
import { loadStream, type WriteDeps } from './commandHandler.ts';

/** A resource that can be sold now. */
export interface ActiveResource {
  readonly resourceId: string;
  readonly config: ResourceConfig;
  /** Revision of `resource-{id}` the config was read at. */
  readonly revision: number | undefined;
}

/**
 * Loads `resource-{id}` for a sale: 404 RESOURCE_NOT_FOUND when it was never
 * registered, 409 RESOURCE_RETIRED when it no longer sells.
 */
export const loadActiveResource = async (
  deps: Pick<WriteDeps, 'store' | 'codec'>,
  resourceId: string,
): Promise<ActiveResource> => {
  const loaded = await loadStream(deps, resourceStream(resourceId), resourceDecider);
  const state = loaded.state;
  switch (state.status) {
    case 'Unregistered':
      throw new NotFoundError(
        `Resource ${resourceId} does not exist; register it first or check the id.`,
        { resourceId },
        'RESOURCE_NOT_FOUND',
      );
    case 'Retired':
      throw new ConflictError(
        'RESOURCE_RETIRED',
        `Resource ${resourceId} was retired at ${state.retiredAt} and takes no new bookings; choose another resource.`,
        { resourceId, retiredAt: state.retiredAt },
      );
    case 'Active':
      return { resourceId, config: state.config, revision: loaded.revision };
    default: {
      const _never: never = state;
      return _never;
    }
  }
};

/** What a reservation records about its resource at request time. */
export const resourceSnapshotOf = (resource: ActiveResource): ResourceSnapshot => ({
  resourceId: resource.resourceId,
  vendorId: resource.config.vendorId,
  kind: resource.config.kind,
  confirmationPolicy: resource.config.confirmationPolicy,
  vendorDeposit: resource.config.vendorDeposit,
  timeZone: resource.config.zone,
});

/**
 * The resource's config whatever its status: a retired resource still has the
 * policies (cancellation, no-show) its existing reservations were sold under.
 */
export const loadResourceConfig = async (
  deps: Pick<WriteDeps, 'store' | 'codec'>,
  resourceId: string,
): Promise<ResourceConfig> => {
  const { state } = await loadStream(deps, resourceStream(resourceId), resourceDecider);
  if (state.status === 'Unregistered') {
    throw new NotFoundError(
      `Resource ${resourceId} does not exist; its reservation refers to a resource that was never registered.`,
      { resourceId },
      'RESOURCE_NOT_FOUND',
    );
  }
  return state.config;
};
