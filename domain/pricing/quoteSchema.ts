import { z } from 'zod';

/** Money as stored in events: integer minor units plus ISO 4217 currency. */
export const moneySchema = z.object({
  amount: z.number().int(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

/**
 * One step of a price computation, recorded so that an auditor can redo the
 * arithmetic and a replay never re-prices: what the rule looked at (`input`),
 * what it contributed (`value`, in `unit`) and which rule version said so.
 */
export const priceFactorSchema = z.object({
  name: z.string().min(1),
  input: z.union([z.string(), z.number()]),
  value: z.number().int(),
  unit: z.enum(['basisPoints', 'minorUnits', 'count']),
  ruleVersion: z.string().min(1),
});

export const quoteComponentSchema = z.enum([
  'accommodation',
  'service',
  'platformFee',
  'cleaning',
  'insurance',
  'vat',
  'cityTax',
]);

export const quoteLineSchema = z.object({
  /** Stable within a quote: `unit:2026-12-24`, `fee:cleaning`, `vat:unit:2026-12-24`. */
  id: z.string().min(1),
  kind: z.enum(['charge', 'fee', 'tax']),
  component: quoteComponentSchema,
  /** The local date the line is for; taxes take the rate in force on this date. */
  date: z.iso.date(),
  slotKey: z.string().optional(),
  /** For tax lines: the id of the line they are levied on. */
  appliesTo: z.string().optional(),
  amount: moneySchema.refine((m) => m.amount >= 0, 'A quote line is never negative.'),
  factors: z.array(priceFactorSchema),
});

export const quoteSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  ruleVersion: z.string().min(1),
  taxTableVersion: z.string().min(1),
  quotedAt: z.iso.datetime({ offset: true }),
  quantity: z.number().int().positive(),
  lines: z.array(quoteLineSchema),
  /** Σ charge lines (after discounts). */
  subtotal: moneySchema,
  /** Σ fee lines. */
  fees: moneySchema,
  /** Σ tax lines. */
  taxes: moneySchema,
  /** subtotal + fees + taxes = Σ all lines. */
  total: moneySchema,
});

export type PriceFactor = z.infer<typeof priceFactorSchema>;
export type QuoteLine = z.infer<typeof quoteLineSchema>;
export type QuoteComponent = z.infer<typeof quoteComponentSchema>;
export type Quote = z.infer<typeof quoteSchema>;
