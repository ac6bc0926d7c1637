// The verification snippet of docs/webhooks.md, verbatim (a test keeps them equal).
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * True when `signatureHeader` (the `Webhook-Signature` header) carries a valid
 * `v1` HMAC-SHA256 of `${t}.${rawBody}` under `secret`, and `t` is within
 * `toleranceSeconds` of now. Pass the raw request body, exactly as received.
 */
export function verifyWebhook(
  rawBody: string,
  signatureHeader: string,
  secret: string,
  toleranceSeconds = 300,
  nowMs = Date.now(),
): boolean {
  const pairs = signatureHeader.split(',').map((part) => part.trim().split('='));
  const t = Number(pairs.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowMs / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return pairs
    .filter(([key]) => key === 'v1')
    .some(([, hex]) => {
      const given = Buffer.from(hex ?? '', 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
