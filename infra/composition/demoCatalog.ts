import { handleCommand } from '../../commands/shared/commandHandler.ts';
import type { WriteSide } from '../../commands/shared/writeSide.ts';
import { resourceDecider } from '../../domain/resource/resourceDecider.ts';
import { resourceConfigSchema, type ResourceConfigInput } from '../../domain/resource/schema.ts';
import { resourceStream } from '../../domain/shared/streams.ts';

const noRestrictions = {
  minNights: 1,
  maxNights: 30,
  closedToArrival: { dates: [], weekdays: [] },
  closedToDeparture: { dates: [], weekdays: [] },
};

const flexibleCancellation: ResourceConfigInput['cancellationPolicy'] = {
  tiers: [
    { minHoursBefore: 72, refund: { kind: 'percent', basisPoints: 10_000 } },
    { minHoursBefore: 24, refund: { kind: 'percent', basisPoints: 5_000 } },
  ],
  noShowFee: { kind: 'percent', basisPoints: 10_000 },
};

/** A small catalog so a fresh `make run` has something to search, hold and pay for. */
export const DEMO_RESOURCES: Readonly<Record<string, ResourceConfigInput>> = {
  'demo-tlv-sea-view': {
    vendorId: 'demo-vendor-hotel',
    kind: 'nightly',
    capacity: 5,
    zone: 'Asia/Jerusalem',
    currency: 'ILS',
    weeklyHours: [],
    dateOverrides: [],
    slotMinutes: 1440,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    horizonDays: 365,
    stayRestrictions: noRestrictions,
    confirmationPolicy: 'instant',
    vendorDeposit: null,
    pricingRules: {
      version: 'demo-1',
      currency: 'ILS',
      basePrice: 65_000,
      dayOfWeek: [{ days: [5, 6], basisPoints: 12_500 }],
      lengthOfStay: [{ minUnits: 7, discountBasisPoints: 1_000 }],
      promoCodes: [
        { code: 'WELCOME10', discount: { kind: 'percent', discountBasisPoints: 1_000 } },
      ],
      fees: { commissionBasisPoints: 1_000, cleaningPerStay: 15_000, insuranceBasisPoints: 0 },
    },
    taxJurisdiction: { country: 'IL', eilatDealer: false },
    cancellationPolicy: flexibleCancellation,
    listing: {
      name: 'Sea View Double',
      description: 'A double room over the Tel Aviv promenade.',
      location: { city: 'Tel Aviv', country: 'IL', latitude: 32.08, longitude: 34.77 },
      rating: 4.6,
    },
  },
  'demo-ber-loft': {
    vendorId: 'demo-vendor-loft',
    kind: 'nightly',
    capacity: 2,
    zone: 'Europe/Berlin',
    currency: 'EUR',
    weeklyHours: [],
    dateOverrides: [],
    slotMinutes: 1440,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    minimumNoticeMinutes: 0,
    horizonDays: 365,
    stayRestrictions: { ...noRestrictions, minNights: 2 },
    confirmationPolicy: 'vendor',
    vendorDeposit: { amount: 5_000, currency: 'EUR' },
    pricingRules: { version: 'demo-1', currency: 'EUR', basePrice: 14_000 },
    taxJurisdiction: {
      country: 'DE',
      eilatDealer: false,
      cityTax: { kind: 'percentOfRoom', basisPoints: 750 },
    },
    cancellationPolicy: flexibleCancellation,
    listing: {
      name: 'Kreuzberg Loft',
      description: 'A loft for two, vendor-confirmed, with a deposit.',
      location: { city: 'Berlin', country: 'DE', latitude: 52.5, longitude: 13.42 },
      rating: 4.8,
    },
  },
  'demo-ber-dog-walk': {
    vendorId: 'demo-vendor-walker',
    kind: 'timed',
    capacity: 1,
    zone: 'Europe/Berlin',
    currency: 'EUR',
    weeklyHours: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const).map((day) => ({
      day,
      opens: '08:00',
      closes: '18:00',
    })),
    dateOverrides: [],
    slotMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 15,
    minimumNoticeMinutes: 120,
    horizonDays: 60,
    stayRestrictions: { ...noRestrictions, maxNights: null },
    confirmationPolicy: 'vendor',
    vendorDeposit: null,
    pricingRules: { version: 'demo-1', currency: 'EUR', basePrice: 2_500 },
    taxJurisdiction: { country: 'DE', eilatDealer: false },
    cancellationPolicy: flexibleCancellation,
    listing: {
      name: 'Dog walk, 60 minutes',
      description: 'One dog, one hour, Tiergarten.',
      location: { city: 'Berlin', country: 'DE', latitude: 52.51, longitude: 13.35 },
      rating: 4.9,
    },
  },
};

/** Registers the demo resources when the log is empty; returns their ids (none when it was not empty). */
export const seedDemoCatalog = async (writeSide: WriteSide): Promise<string[]> => {
  if ((await writeSide.store.headPosition()) !== undefined) return [];
  const now = writeSide.clock.now().toISOString();
  const seeded: string[] = [];
  for (const [resourceId, input] of Object.entries(DEMO_RESOURCES)) {
    const config = resourceConfigSchema.parse(input);
    await handleCommand(
      writeSide,
      resourceStream(resourceId),
      resourceDecider,
      { type: 'RegisterResource', resourceId, config, now },
      { actor: { principal: 'demo-seed', role: 'system' }, correlationId: 'demo-seed' },
    );
    seeded.push(resourceId);
  }
  return seeded;
};
