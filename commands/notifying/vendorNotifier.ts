import type { VendorNotifier } from '../payments/paymentSaga/ports.ts';
import type { MessageQueue, VendorContacts } from './ports.ts';

export const vendorRequestDedupKey = (reservationId: string, userId: string): string =>
  `vendor-request:${reservationId}:vendor-user:${userId}`;

/**
 * The payment saga's vendor notifier (seed 004 step 2): records one email per
 * vendor user of the resource's vendor; the notifier role sends them with
 * confirm and decline links. Recording is idempotent, so the saga's retries
 * of this step never queue a second email.
 */
export const createEmailVendorNotifier = (deps: {
  readonly vendors: VendorContacts;
  readonly queue: MessageQueue;
  readonly clock: { now(): Date };
  /** Told when a vendor has no user to tell (the request then waits for the vendor's own polling). */
  readonly onNoRecipient?: (vendorId: string, reservationId: string) => void;
}): VendorNotifier => ({
  notifyVendor: async ({ reservationId, vendorId, idempotencyKey }) => {
    const users = await deps.vendors.ofVendor(vendorId);
    if (users.length === 0) {
      deps.onNoRecipient?.(vendorId, reservationId);
      return;
    }
    await deps.queue.enqueue(
      users.map((user) => ({
        dedupKey: vendorRequestDedupKey(reservationId, user.userId),
        reservationId,
        kind: 'vendor-request' as const,
        recipient: `vendor-user:${user.userId}` as const,
        sequence: 0,
        sourceEventId: idempotencyKey,
      })),
      deps.clock.now(),
    );
  },
});
