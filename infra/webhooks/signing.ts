import { createHmac, randomBytes } from 'node:crypto';

/** A fresh endpoint secret: `whsec_` and 32 random bytes, base64url. The HMAC key is the whole string. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/**
 * The `Webhook-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`,
 * one `v1=` per secret (two while a rotation's overlap runs, the newest first).
 */
export const signatureHeader = (
  secrets: readonly string[],
  timestampSeconds: number,
  body: string,
): string =>
  [
    `t=${timestampSeconds}`,
    ...secrets.map(
      (secret) =>
        `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`,
    ),
  ].join(',');
