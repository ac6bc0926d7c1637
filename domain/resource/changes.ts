import type { z } from 'zod';
import { resourceConfigSchema } from './schema.ts';

/**
 * What ChangeResource may change, grouped: each group that actually changes
 * becomes its own event, so a projection or an auditor sees exactly what
 * moved. vendorId, kind, zone and currency are fixed at registration:
 * changing them would re-key every slot or re-denominate every price.
 */
export const resourceChangeGroups = {
  ResourceCapacityChanged: { capacity: true },
  ResourceHoursChanged: { weeklyHours: true, dateOverrides: true },
  ResourceSlotSettingsChanged: {
    slotMinutes: true,
    bufferBeforeMinutes: true,
    bufferAfterMinutes: true,
  },
  ResourceBookingWindowChanged: { minimumNoticeMinutes: true, horizonDays: true },
  ResourceStayRestrictionsChanged: { stayRestrictions: true },
  ResourceConfirmationPolicyChanged: { confirmationPolicy: true },
  ResourceVendorDepositChanged: { vendorDeposit: true },
  ResourcePricingRulesChanged: { pricingRules: true },
  ResourceTaxJurisdictionChanged: { taxJurisdiction: true },
  ResourceCancellationPolicyChanged: { cancellationPolicy: true },
  ResourceListingChanged: { listing: true },
} as const;

export type ResourceChangeEventType = keyof typeof resourceChangeGroups;
export const RESOURCE_CHANGE_EVENT_TYPES = Object.keys(
  resourceChangeGroups,
) as ResourceChangeEventType[];

export const resourceChangesSchema = resourceConfigSchema
  .omit({ vendorId: true, kind: true, zone: true, currency: true })
  .partial()
  .strict();

/** Any subset of the changeable fields. */
export type ResourceChanges = z.input<typeof resourceChangesSchema>;
