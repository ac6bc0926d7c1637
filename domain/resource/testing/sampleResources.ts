import type { ResourceConfig } from '../schema.ts';

/** Valid configurations for tests; override fields with spreads. */
const pricingRules = (currency: string): ResourceConfig['pricingRules'] => ({
  version: 'v1',
  currency,
  basePrice: 20_000,
  dateOverrides: [],
  seasons: [],
  dayOfWeek: [],
  occupancyTiers: [],
  leadTimeTiers: [],
  lengthOfStay: [],
  promoCodes: [],
  fees: { commissionBasisPoints: 0, cleaningPerStay: 0, insuranceBasisPoints: 0 },
});

const common = {
  vendorId: 'vendor-1',
  capacity: 2,
  zone: 'Europe/Berlin',
  currency: 'EUR',
  weeklyHours: [],
  dateOverrides: [],
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  minimumNoticeMinutes: 0,
  horizonDays: 365,
  stayRestrictions: {
    minNights: 1,
    maxNights: null,
    closedToArrival: { dates: [], weekdays: [] },
    closedToDeparture: { dates: [], weekdays: [] },
  },
  confirmationPolicy: 'instant',
  vendorDeposit: null,
  pricingRules: pricingRules('EUR'),
  taxJurisdiction: { country: 'DE', eilatDealer: false },
  cancellationPolicy: { tiers: [], noShowFee: { kind: 'percent', basisPoints: 10_000 } },
  listing: {
    name: 'Deluxe King',
    description: 'A room with a view.',
    location: { city: 'Berlin', country: 'DE', latitude: null, longitude: null },
    rating: null,
  },
} as const satisfies Partial<ResourceConfig>;

export const sampleNightly = (overrides: Partial<ResourceConfig> = {}): ResourceConfig => ({
  ...common,
  kind: 'nightly',
  slotMinutes: 1440,
  ...overrides,
});

export const sampleTimed = (overrides: Partial<ResourceConfig> = {}): ResourceConfig => ({
  ...common,
  kind: 'timed',
  capacity: 1,
  zone: 'America/New_York',
  currency: 'USD',
  pricingRules: pricingRules('USD'),
  taxJurisdiction: { country: 'US', eilatDealer: false },
  weeklyHours: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
    day,
    opens: '09:00',
    closes: '17:00',
  })),
  slotMinutes: 60,
  confirmationPolicy: 'vendor',
  vendorDeposit: { amount: 5_000, currency: 'USD' },
  ...overrides,
});
