-- Inbound Stripe webhooks (commands/receivingStripeWebhook): one row per
-- Stripe event id. Stripe delivers at least once and retries for days; an
-- event whose processed_at is set is answered "duplicate" and not fed to the
-- saga again. A row without processed_at (we failed half-way) is processed
-- again on Stripe's retry; feeding the saga twice is harmless anyway.
CREATE TABLE stripe_webhook_events (
  event_id      text PRIMARY KEY,
  type          text NOT NULL,
  livemode      boolean NOT NULL,
  -- the event's object as Stripe sent it (provider ids and metadata, no card data)
  object        jsonb NOT NULL,
  deliveries    integer NOT NULL DEFAULT 1,
  received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz,
  -- what the saga made of it: fed | ignored (no matching pending step)
  outcome       text
);
