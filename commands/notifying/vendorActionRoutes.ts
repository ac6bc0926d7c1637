import { z } from 'zod';
import { DomainError } from '../../domain/shared/errors.ts';
import { escapeHtml } from '../../domain/notifications/templates.ts';
import { answerAsVendor } from '../confirmingByVendor/handler.ts';
import { defineRoute, type HttpResponse, type RouteModule } from '../shared/route.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import type { LinkTokens, VendorContacts } from './ports.ts';

const tokenParams = z.strictObject({
  token: z
    .string()
    .max(1024)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'Expected the token from the email link.'),
});

/** An HTML body goes out through the route's `stream` (its `body` is always JSON). */
async function* oneChunk(text: string): AsyncIterable<string> {
  yield await Promise.resolve(text);
}

const page = (status: number, title: string, message: string): HttpResponse => {
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title></head>`,
    `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`,
    '',
  ].join('\n');
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
    stream: oneChunk(html),
  };
};

const REFUSED: Readonly<Record<'malformed' | 'forged' | 'expired', [number, string, string]>> = {
  malformed: [400, 'Link not recognised', 'This link is incomplete. Open it from the email again.'],
  forged: [403, 'Link not valid', 'This link was not issued by this service; nothing was changed.'],
  expired: [
    410,
    'Link expired',
    'This link has expired; nothing was changed. Answer the request from your dashboard instead.',
  ],
};

export interface VendorActionDeps {
  readonly writeSide: WriteSide;
  readonly links: LinkTokens;
  readonly vendors: VendorContacts;
}

/**
 * The one-click confirm/decline links of a vendor request email (seed 004
 * step 3 without logging in): the signed token names the reservation and the
 * vendor user; it works once, until the request's deadline. GET (the click)
 * and POST both act; every refusal is a small HTML page and changes nothing.
 */
const act = async (
  deps: VendorActionDeps,
  token: string,
  decision: 'confirm' | 'decline',
  requestId: string,
): Promise<HttpResponse> => {
  const now = deps.writeSide.clock.now();
  const checked = await deps.links.verify(token, now);
  if (!checked.ok) return page(...REFUSED[checked.reason]);
  const { claims } = checked;
  const user = await deps.vendors.user(claims.userId);
  if (!user || user.vendorId !== claims.vendorId)
    return page(403, 'Link not valid', 'The account this link was sent to is no longer active.');
  if (!(await deps.links.consume(claims.tokenId, decision, now)))
    return page(409, 'Link already used', 'This link was already used; nothing was changed.');
  try {
    const { reservation } = await answerAsVendor(
      deps.writeSide,
      {
        principal: { id: user.userId, role: 'vendor', vendorId: user.vendorId },
        requestId,
        idempotencyKey: undefined,
      },
      claims.reservationId,
      decision === 'confirm'
        ? { decision }
        : { decision, reason: 'Declined by the vendor from the email link.' },
    );
    return page(
      200,
      decision === 'confirm' ? 'Request confirmed' : 'Request declined',
      `Booking ${reservation.bookingReference} is now ${reservation.status}.`,
    );
  } catch (error) {
    await deps.links.release(claims.tokenId);
    if (error instanceof DomainError && !error.retryable)
      return page(409, 'Request no longer open', `${error.message} Nothing was changed.`);
    throw error;
  }
};

export const getVendorActionRoutes = (deps: VendorActionDeps): RouteModule[] =>
  (['confirm', 'decline'] as const).flatMap((decision) =>
    (['get', 'post'] as const).map((method) =>
      defineRoute({
        method,
        path: `/api/v1/vendor-requests/{token}/${decision}`,
        summary: `${decision === 'confirm' ? 'Confirm' : 'Decline'} a booking request from the signed link in the vendor's email`,
        description:
          'No login: the signed, single-use, expiring token is the credential. Answers a small HTML page.',
        tags: ['notifications'],
        auth: 'public',
        params: tokenParams,
        responses: {
          200: { description: 'Done (HTML page)' },
          400: { description: 'Not a token (HTML page)' },
          403: { description: 'Forged token or revoked user (HTML page)' },
          409: { description: 'Already used, or the request is no longer open (HTML page)' },
          410: { description: 'Expired (HTML page)' },
        },
        handler: ({ params, requestId }) => act(deps, params.token, decision, requestId),
      }),
    ),
  );
