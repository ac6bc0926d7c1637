import type { Principal } from '../../domain/access/principal.ts';
import { ForbiddenError, UnavailableError } from '../../domain/shared/errors.ts';

/**
 * Seed 004's `webhookUrl` on a hold: a one-off webhook endpoint that hears
 * only this reservation's public events (infra/webhooks implements it).
 */
export interface HoldWebhooks {
  /** Checks the URL (SSRF rules) and registers the endpoint before the hold exists, so no event is missed. */
  register(input: {
    readonly owner: { readonly role: 'partner' | 'admin'; readonly id: string };
    readonly reservationId: string;
    readonly url: string;
  }): Promise<{ readonly endpointId: string; readonly secret: string }>;
  /** Removes it again when the hold was refused. */
  remove(endpointId: string): Promise<void>;
}

/** The owner of a hold's one-off endpoint: the partner (or admin) placing it. */
export const holdWebhookOwner = (
  principal: Principal,
  webhooks: HoldWebhooks | undefined,
): { role: 'partner' | 'admin'; id: string } => {
  if (!webhooks) {
    throw new UnavailableError('Webhooks are not available on this server.', 3600);
  }
  if (principal.role === 'partner' && principal.partnerId)
    return { role: 'partner', id: principal.partnerId };
  if (principal.role === 'admin') return { role: 'admin', id: principal.id };
  throw new ForbiddenError(
    'webhookUrl is for partners: a guest follows the hold with GET /api/v1/reservations/{id}.',
    { role: principal.role },
  );
};
