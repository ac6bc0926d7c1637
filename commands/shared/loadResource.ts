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
 * registered, 409 RESOURCE_RETIRED when it no longer sells. With a
 * `resourceCache`, a resource seen before costs no read here: the caller must
 * then load the resource's slots with `loadSlots` before it decides, which
 * reads the resource's revision in the same snapshot and makes the attempt
 * retry (ConcurrencyError) when the cached resource is no longer current.
 */
export const loadActiveResource = async (
  deps: Pick<WriteDeps, 'store' | 'codec' | 'resourceCache'>,
  resourceId: string,
): Promise<ActiveResource> => {
  // From the cache only for callers that go on to loadSlots of this resource,
  // which checks the cached revision in the same read as the slots.
  const loaded =
    deps.resourceCache?.get(resourceId) ??
    (await loadStream(deps, resourceStream(resourceId), resourceDecider));
  if (loaded.state.status !== 'Unregistered') deps.resourceCache?.set(resourceId, loaded);
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
