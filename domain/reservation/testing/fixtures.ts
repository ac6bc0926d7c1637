import type { Quote } from '../../pricing/quoteSchema.ts';
import { fold } from '../../shared/decider.ts';
import type { ReservationCommand, RequestReservation } from '../commands.ts';
import { reservationDecider } from '../decider.ts';
import type { ResourceSnapshot } from '../eventParts.ts';
import type { ReservationEvent } from '../events.ts';
import type { ReservationState } from '../state.ts';
import type { ReservationStatus } from '../status.ts';
import type { ReservationCommandType } from '../transitions.ts';

/** Test fixtures for the reservation decider: a tiny quote, a request, and the shortest path to every status. */
export const RESERVATION_ID = 'r-1';
export const T0 = '2026-12-01T10:00:00.000Z';
export const at = (minutes: number): string =>
  new Date(Date.parse(T0) + minutes * 60_000).toISOString();

export const quoteOf = (total: number, quantity = 1): Quote => ({
  currency: 'EUR',
  ruleVersion: 'rules-1',
  taxTableVersion: 'tax-test',
  quotedAt: T0,
  quantity,
  lines: [
    {
      id: 'unit:2026-12-24',
      kind: 'charge',
      component: 'accommodation',
      date: '2026-12-24',
      amount: { amount: total, currency: 'EUR' },
      factors: [],
    },
  ],
  subtotal: { amount: total, currency: 'EUR' },
  fees: { amount: 0, currency: 'EUR' },
  taxes: { amount: 0, currency: 'EUR' },
  total: { amount: total, currency: 'EUR' },
});

export const resourceOf = (
  policy: 'vendor' | 'instant',
  deposit: number | null,
): ResourceSnapshot => ({
  resourceId: 'room-1',
  vendorId: 'vendor-1',
  kind: 'nightly',
  confirmationPolicy: policy,
  vendorDeposit: deposit === null ? null : { amount: deposit, currency: 'EUR' },
  timeZone: 'Asia/Jerusalem',
});

export const ENTROPY = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

export const requestOf = (
  resource: ResourceSnapshot = resourceOf('vendor', 5_000),
): RequestReservation => ({
  type: 'RequestReservation',
  reservationId: RESERVATION_ID,
  now: T0,
  resource,
  slots: ['2026-12-24', '2026-12-25'],
  quantity: 1,
  startsAt: '2026-12-24T13:00:00.000Z',
  endsAt: '2026-12-26T09:00:00.000Z',
  guest: { guestId: 'g-1', persons: 2, taxStatus: { citizenships: [], israeliVisa: null } },
  requesterId: 'req-1',
  partnerId: 'partner-1',
  quote: quoteOf(40_000),
  promoCode: null,
  referenceEntropy: ENTROPY,
});

const base = (now: string) => ({ reservationId: RESERVATION_ID, now });

/** The token the paths provide before the requester's authorization (a Stripe test PaymentMethod id). */
export const SAMPLE_PAYMENT_METHOD = 'pm_card_visa';

/** A valid instance of each command, for a state whose last event happened before `now`. */
export const sampleCommand = (
  type: ReservationCommandType,
  state: ReservationState,
  now: string,
): ReservationCommand => {
  const b = base(now);
  switch (type) {
    case 'RequestReservation':
      return { ...requestOf(), now };
    case 'NotifyVendor':
    case 'ConfirmByVendor':
    case 'RequestAuthorization':
    case 'BeginCommit':
    case 'CheckIn':
    case 'Complete':
    case 'MarkNoShow':
    case 'Expire':
      return { type, ...b };
    case 'DeclineByVendor':
    case 'RecordVendorAuthorizationFailure':
    case 'RecordRequesterAuthorizationFailure':
    case 'RecordCommitFailure':
      return { type, ...b, reason: 'Card declined by the issuer.' };
    case 'ProvidePaymentMethod':
      return { type, ...b, paymentMethod: SAMPLE_PAYMENT_METHOD };
    case 'RecordVendorAuthorization':
      return {
        type,
        ...b,
        authorization: { authorizationId: 'pi_vendor', amount: { amount: 5_000, currency: 'EUR' } },
      };
    case 'RecordRequesterAuthorization':
      return {
        type,
        ...b,
        authorization: {
          authorizationId: 'pi_requester',
          amount: { amount: 40_000, currency: 'EUR' },
        },
      };
    case 'Revalidate':
      return { type, ...b, outcome: 'passed' };
    case 'RecordCommitSuccess':
      return { type, ...b, captures: { vendor: 'ch_vendor', requester: 'ch_requester' } };
    case 'Cancel':
      return { type, ...b, by: 'guest', reason: 'Plans changed.' };
    case 'Modify':
      return {
        type,
        ...b,
        expectedVersion: state.status === 'NONE' ? 0 : state.version,
        slots: ['2026-12-25', '2026-12-26'],
        quantity: 1,
        startsAt: '2026-12-25T13:00:00.000Z',
        endsAt: '2026-12-27T09:00:00.000Z',
        quote: quoteOf(42_000),
      };
    case 'Extend':
      return {
        type,
        ...b,
        addedSlots: ['2026-12-26'],
        endsAt: '2026-12-27T09:00:00.000Z',
        additionalQuote: quoteOf(20_000),
      };
    default: {
      const _never: never = type;
      return _never;
    }
  }
};

/**
 * The shortest command path to each status (vendor policy with a deposit
 * unless `instant`), one minute apart. The requester provides a payment
 * method while the reservation awaits it, as over HTTP; AWAITING_REQUESTER_AUTH
 * itself is still waiting for one.
 */
const PATHS: Record<ReservationStatus, readonly ReservationCommandType[]> = {
  HELD: ['RequestReservation'],
  AWAITING_VENDOR_CONFIRMATION: ['RequestReservation', 'NotifyVendor'],
  CONFIRMED_BY_VENDOR: ['RequestReservation', 'NotifyVendor', 'ConfirmByVendor'],
  AWAITING_VENDOR_AUTH: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
  ],
  VENDOR_AUTHORIZED: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
  ],
  AWAITING_REQUESTER_AUTH: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
    'RequestAuthorization',
  ],
  AUTHORIZED_BOTH: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
    'RequestAuthorization',
    'ProvidePaymentMethod',
    'RecordRequesterAuthorization',
    'Revalidate',
  ],
  COMMIT_IN_PROGRESS: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
    'RequestAuthorization',
    'ProvidePaymentMethod',
    'RecordRequesterAuthorization',
    'Revalidate',
    'BeginCommit',
  ],
  CONFIRMED: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
    'RequestAuthorization',
    'ProvidePaymentMethod',
    'RecordRequesterAuthorization',
    'Revalidate',
    'BeginCommit',
    'RecordCommitSuccess',
  ],
  CHECKED_IN: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
    'RequestAuthorization',
    'ProvidePaymentMethod',
    'RecordRequesterAuthorization',
    'Revalidate',
    'BeginCommit',
    'RecordCommitSuccess',
    'CheckIn',
  ],
  COMPLETED: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
    'RequestAuthorization',
    'ProvidePaymentMethod',
    'RecordRequesterAuthorization',
    'Revalidate',
    'BeginCommit',
    'RecordCommitSuccess',
    'CheckIn',
    'Complete',
  ],
  NO_SHOW: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
    'RequestAuthorization',
    'ProvidePaymentMethod',
    'RecordRequesterAuthorization',
    'Revalidate',
    'BeginCommit',
    'RecordCommitSuccess',
    'MarkNoShow',
  ],
  CANCELLED: ['RequestReservation', 'Cancel'],
  EXPIRED: ['RequestReservation', 'Expire'],
  FAILED_VENDOR_TIMEOUT: ['RequestReservation', 'NotifyVendor', 'Expire'],
  FAILED_VENDOR_DECLINED: ['RequestReservation', 'NotifyVendor', 'DeclineByVendor'],
  FAILED_VENDOR_AUTH: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorizationFailure',
  ],
  FAILED_REQUESTER_AUTH: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
    'RequestAuthorization',
    'ProvidePaymentMethod',
    'RecordRequesterAuthorizationFailure',
  ],
  FAILED_AVAILABILITY_CHANGED: ['RequestReservation', 'Revalidate'],
  FAILED_COMMIT: [
    'RequestReservation',
    'NotifyVendor',
    'ConfirmByVendor',
    'RequestAuthorization',
    'RecordVendorAuthorization',
    'RequestAuthorization',
    'ProvidePaymentMethod',
    'RecordRequesterAuthorization',
    'Revalidate',
    'BeginCommit',
    'RecordCommitFailure',
  ],
};

/** Minutes after T0 at which an Expire in a path fires: late enough for every deadline. */
const LATE = 24 * 60;

/** Events that lead to `status`, built by running the real decider (so the fixtures cannot drift from it). */
export const historyTo = (
  status: ReservationStatus,
  policy: 'vendor' | 'instant' = 'vendor',
): { events: ReservationEvent[]; state: ReservationState; lastMinute: number } => {
  const events: ReservationEvent[] = [];
  let state = reservationDecider.initialState();
  let minute = 0;
  for (const [index, type] of PATHS[status].entries()) {
    minute = type === 'Expire' ? LATE : index;
    const last = index === PATHS[status].length - 1;
    const command =
      type === 'RequestReservation'
        ? requestOf(resourceOf(policy, 5_000))
        : type === 'Revalidate' && last && status === 'FAILED_AVAILABILITY_CHANGED'
          ? {
              type,
              ...base(at(minute)),
              outcome: 'failed' as const,
              reason: 'The slot was sold elsewhere.',
            }
          : sampleCommand(type, state, at(minute));
    const decided = reservationDecider.decide(command, state);
    events.push(...decided);
    state = fold(reservationDecider, decided, state);
  }
  return { events, state, lastMinute: minute };
};
