import { z } from 'zod';
import type { DomainEvent, EventDefinition } from '../shared/eventDefinition.ts';
import { defineEvent } from '../shared/eventDefinition.ts';
import { resourceChangeGroups } from './changes.ts';
import { resourceConfigSchema } from './schema.ts';

/** Events of a `resource-{id}` stream. Instants are ISO 8601 UTC. */
const instant = z.iso.datetime({ offset: true });
const base = { resourceId: z.string().min(1) };
type Shape = typeof resourceConfigSchema.shape;
const changed = <M extends { readonly [K in keyof Shape]?: true }>(mask: M) =>
  resourceConfigSchema.pick(mask as M & Record<Exclude<keyof M, keyof Shape>, never>).extend({
    ...base,
    changedAt: instant,
  });

export const ResourceRegistered = defineEvent(
  'ResourceRegistered',
  1,
  resourceConfigSchema.extend({ ...base, registeredAt: instant }),
);
const g = resourceChangeGroups;
export const ResourceCapacityChanged = defineEvent(
  'ResourceCapacityChanged',
  1,
  changed(g.ResourceCapacityChanged),
);
export const ResourceHoursChanged = defineEvent(
  'ResourceHoursChanged',
  1,
  changed(g.ResourceHoursChanged),
);
export const ResourceSlotSettingsChanged = defineEvent(
  'ResourceSlotSettingsChanged',
  1,
  changed(g.ResourceSlotSettingsChanged),
);
export const ResourceBookingWindowChanged = defineEvent(
  'ResourceBookingWindowChanged',
  1,
  changed(g.ResourceBookingWindowChanged),
);
export const ResourceStayRestrictionsChanged = defineEvent(
  'ResourceStayRestrictionsChanged',
  1,
  changed(g.ResourceStayRestrictionsChanged),
);
export const ResourceConfirmationPolicyChanged = defineEvent(
  'ResourceConfirmationPolicyChanged',
  1,
  changed(g.ResourceConfirmationPolicyChanged),
);
export const ResourceVendorDepositChanged = defineEvent(
  'ResourceVendorDepositChanged',
  1,
  changed(g.ResourceVendorDepositChanged),
);
export const ResourcePricingRulesChanged = defineEvent(
  'ResourcePricingRulesChanged',
  1,
  changed(g.ResourcePricingRulesChanged),
);
export const ResourceTaxJurisdictionChanged = defineEvent(
  'ResourceTaxJurisdictionChanged',
  1,
  changed(g.ResourceTaxJurisdictionChanged),
);
export const ResourceCancellationPolicyChanged = defineEvent(
  'ResourceCancellationPolicyChanged',
  1,
  changed(g.ResourceCancellationPolicyChanged),
);
export const ResourceListingChanged = defineEvent(
  'ResourceListingChanged',
  1,
  changed(g.ResourceListingChanged),
);
export const ResourceRetired = defineEvent(
  'ResourceRetired',
  1,
  z.object({ ...base, reason: z.string().min(1), retiredAt: instant }),
);

export const resourceEventDefinitions = [
  ResourceRegistered,
  ResourceCapacityChanged,
  ResourceHoursChanged,
  ResourceSlotSettingsChanged,
  ResourceBookingWindowChanged,
  ResourceStayRestrictionsChanged,
  ResourceConfirmationPolicyChanged,
  ResourceVendorDepositChanged,
  ResourcePricingRulesChanged,
  ResourceTaxJurisdictionChanged,
  ResourceCancellationPolicyChanged,
  ResourceListingChanged,
  ResourceRetired,
] as const;

type EventOf<D> = D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.infer<S>> : never;
export type ResourceEvent = EventOf<(typeof resourceEventDefinitions)[number]>;
export type ResourceChangedEvent = Exclude<
  ResourceEvent,
  { type: 'ResourceRegistered' | 'ResourceRetired' }
>;
