import type { Principal } from '../../domain/access/principal.ts';
import { ForbiddenError } from '../../domain/shared/errors.ts';

/** Who an endpoint belongs to: its events are those of the owner's reservations (admins: all). */
export interface EndpointOwner {
  readonly role: 'partner' | 'vendor' | 'admin';
  readonly id: string;
}

export interface WebhookEndpointView {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly description: string | null;
  readonly owner: EndpointOwner;
  /** Set for a hold's one-off endpoint: only this reservation's events. */
  readonly reservationId: string | null;
  readonly enabled: boolean;
  /** Why the endpoint was disabled (kept failing, or by its owner); null while enabled. */
  readonly disabledReason: string | null;
  readonly disabledAt: string | null;
  /** While a rotation's overlap runs: until when the previous secret signs too. */
  readonly previousSecretExpiresAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DeliveryAttemptView {
  readonly attemptedAt: string;
  readonly durationMs: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** At most the first 256 characters of the response body. */
  readonly responseExcerpt: string | null;
}

export interface DeliveryView {
  readonly id: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  /** The latest attempts, newest first (at most 20). */
  readonly log?: readonly DeliveryAttemptView[];
}

export interface NewEndpoint {
  readonly owner: EndpointOwner;
  readonly url: string;
  readonly events: readonly string[];
  readonly description: string | null;
  readonly reservationId: string | null;
}

export interface EndpointChanges {
  readonly url?: string | undefined;
  readonly events?: readonly string[] | undefined;
  readonly description?: string | null | undefined;
  readonly enabled?: boolean | undefined;
}

/** A page: at most `limit` rows after the cursor `after` (an id from the previous page). */
export interface Page {
  readonly limit: number;
  readonly after?: string | undefined;
}

/**
 * The webhook endpoints and their delivery log (infra/webhooks implements it
 * on PostgreSQL). Ownership checks are the caller's: the store answers for
 * any id.
 */
export interface WebhookEndpoints {
  /** Creates the endpoint with a fresh secret and returns both; the secret is never readable again. */
  create(endpoint: NewEndpoint): Promise<{ endpoint: WebhookEndpointView; secret: string }>;
  get(id: string): Promise<WebhookEndpointView | undefined>;
  /** The owner's endpoints (every endpoint for `'all'`), in id order. */
  list(owner: EndpointOwner | 'all', page: Page): Promise<readonly WebhookEndpointView[]>;
  countOwned(owner: EndpointOwner): Promise<number>;
  update(id: string, changes: EndpointChanges): Promise<WebhookEndpointView>;
  remove(id: string): Promise<void>;
  /** A new secret; the previous one keeps signing for `overlapMs` from now. */
  rotateSecret(
    id: string,
    overlapMs: number,
  ): Promise<{ secret: string; previousSecretExpiresAt: string | null }>;
  deliveries(
    endpointId: string,
    filter: Page & { readonly status?: DeliveryView['status'] | undefined },
  ): Promise<readonly DeliveryView[]>;
  /** One delivery with its attempt log, or undefined when it is not the endpoint's. */
  delivery(endpointId: string, deliveryId: string): Promise<DeliveryView | undefined>;
  /** Every delivery of one public event to the given endpoints. */
  eventDeliveries(
    eventId: string,
    owner: EndpointOwner | 'all',
    limit: number,
  ): Promise<readonly DeliveryView[]>;
  /** Queues the delivery again now (a new round of retries); returns it, or undefined when unknown. */
  redeliver(endpointId: string, deliveryId: string): Promise<DeliveryView | undefined>;
  /** Queues a `webhook.test` event to the endpoint. */
  sendTest(endpointId: string): Promise<DeliveryView>;
}

/**
 * Refuses URLs a webhook must not call (SSRF): anything but https, and hosts
 * that resolve to private, loopback or link-local addresses, unless
 * allow-listed. Throws a ValidationError saying why.
 */
export interface WebhookUrlGuard {
  assertAllowed(url: string): Promise<void>;
}

/** The endpoint owner a principal acts as; auditors, analysts and guests own no endpoints. */
export const endpointOwnerOf = (principal: Principal): EndpointOwner => {
  if (principal.role === 'admin') return { role: 'admin', id: principal.id };
  if (principal.role === 'partner' && principal.partnerId)
    return { role: 'partner', id: principal.partnerId };
  if (principal.role === 'vendor' && principal.vendorId)
    return { role: 'vendor', id: principal.vendorId };
  throw new ForbiddenError(
    `A ${principal.role} cannot manage webhooks: use a partner key, a vendor account or an admin credential.`,
    { role: principal.role },
  );
};

/** Whom a principal may see: admins every endpoint, others their own. */
export const visibleTo = (principal: Principal): EndpointOwner | 'all' => {
  const owner = endpointOwnerOf(principal);
  return owner.role === 'admin' ? 'all' : owner;
};

export const ownsEndpoint = (principal: Principal, endpoint: WebhookEndpointView): boolean => {
  const visible = visibleTo(principal);
  return (
    visible === 'all' || (visible.role === endpoint.owner.role && visible.id === endpoint.owner.id)
  );
};
