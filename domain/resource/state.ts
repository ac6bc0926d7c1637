import { IllegalStateError } from '../shared/errors.ts';
import type { ResourceEvent } from './events.ts';
import type { ResourceConfig } from './schema.ts';

export type ResourceState =
  | { readonly status: 'Unregistered' }
  | { readonly status: 'Active'; readonly resourceId: string; readonly config: ResourceConfig }
  | {
      readonly status: 'Retired';
      readonly resourceId: string;
      readonly config: ResourceConfig;
      readonly retiredAt: string;
    };

export const initialResourceState = (): ResourceState => ({ status: 'Unregistered' });

export const evolveResource = (state: ResourceState, event: ResourceEvent): ResourceState => {
  if (event.type === 'ResourceRegistered') {
    const { resourceId, registeredAt: _at, ...config } = event.data;
    return { status: 'Active', resourceId, config };
  }
  if (state.status === 'Unregistered') {
    throw new IllegalStateError(
      `Resource event ${event.type} cannot come before ResourceRegistered; the stream of ${event.data.resourceId} is corrupt.`,
    );
  }
  switch (event.type) {
    case 'ResourceRetired':
      return {
        status: 'Retired',
        resourceId: state.resourceId,
        config: state.config,
        retiredAt: event.data.retiredAt,
      };
    case 'ResourceCapacityChanged':
    case 'ResourceHoursChanged':
    case 'ResourceSlotSettingsChanged':
    case 'ResourceBookingWindowChanged':
    case 'ResourceStayRestrictionsChanged':
    case 'ResourceConfirmationPolicyChanged':
    case 'ResourceVendorDepositChanged':
    case 'ResourcePricingRulesChanged':
    case 'ResourceTaxJurisdictionChanged':
    case 'ResourceCancellationPolicyChanged':
    case 'ResourceListingChanged': {
      const { resourceId: _id, changedAt: _at, ...fields } = event.data;
      return { ...state, config: { ...state.config, ...fields } };
    }
    default: {
      const _never: never = event;
      throw new IllegalStateError(`Unknown resource event ${JSON.stringify(_never)}.`);
    }
  }
};
