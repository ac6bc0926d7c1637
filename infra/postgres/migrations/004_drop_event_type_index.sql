-- Every append paid for this index, and no reader uses it: subscriptions and
-- projections filter by category (events_category_delivery_order); a filter by
-- event type alone is rare (audits, ad-hoc reads) and scans in delivery order.
-- Measured with bench/eventStore.ts: fewer indexes on events is faster appends.
DROP INDEX IF EXISTS events_type_delivery_order;
