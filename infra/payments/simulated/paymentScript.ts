import { z } from 'zod';
import type { PaymentOperation } from '../../../commands/payments/paymentGateway.ts';

/**
 * A failure the simulated gateway plays instead of (or after) doing the work.
 * - `decline`: a final refusal (PaymentDeclinedError), recorded for replay like Stripe.
 * - `captureFailure`: the provider refuses the capture (PaymentDeclinedError, final);
 *   the authorization stays open so the saga can release it.
 * - `timeout`: PaymentProviderUnavailableError; with `effect: 'applied'` the work
 *   is done and recorded first (a real timeout can hide a success), with
 *   `'notApplied'` nothing happens.
 * - `5xx`: PaymentProviderUnavailableError before any work; nothing recorded, so
 *   the same key can be retried (Stripe may replay a 500; see docs/payments.md).
 */
export type SimulatedFailure =
  | { readonly kind: 'decline'; readonly declineCode?: string }
  | { readonly kind: 'captureFailure'; readonly declineCode?: string }
  | { readonly kind: 'timeout'; readonly effect: 'applied' | 'notApplied' }
  | { readonly kind: '5xx'; readonly status?: number };

/** Which calls a rule applies to; every given field must match. */
export interface ScriptMatch {
  readonly reservationId?: string;
  /**
   * Attempt number: metadata.attempt for authorize and transfer; for capture,
   * cancel and refund the trailing `-N` of the idempotency key (seed 004's
   * `{step}-{reservationId}-{attempt}`), else the authorization's attempt.
   */
  readonly attempt?: number;
  /** Requested amount in minor units (the authorized amount when a capture or refund names none). */
  readonly amount?: number;
  /** E.g. `vendor-capture-` to fail the vendor's capture but not the requester's. */
  readonly idempotencyKeyPrefix?: string;
}

export interface ScriptRule {
  readonly operation: PaymentOperation;
  readonly match?: ScriptMatch;
  readonly failure: SimulatedFailure;
  /** How many matching calls fail; omitted means every one. */
  readonly times?: number;
}

/** What a rule is matched against: one gateway call. */
export interface CallContext {
  readonly operation: PaymentOperation;
  readonly idempotencyKey: string;
  readonly reservationId?: string;
  readonly attempt?: number;
  readonly amount?: number;
}

/**
 * When a failure strikes: `request` before any work (5xx, timeout not applied),
 * `effect` instead of the work on a fresh key (declines), `response` after the
 * work is recorded (timeout applied).
 */
export type FailurePhase = 'request' | 'effect' | 'response';

export const phaseOf = (failure: SimulatedFailure): FailurePhase => {
  switch (failure.kind) {
    case '5xx':
      return 'request';
    case 'timeout':
      return failure.effect === 'applied' ? 'response' : 'request';
    case 'decline':
    case 'captureFailure':
      return 'effect';
    default: {
      const _never: never = failure;
      return _never;
    }
  }
};

/** The failure plan of one simulated gateway; tests change it between calls. */
export interface PaymentScript {
  add(...rules: readonly ScriptRule[]): void;
  clear(): void;
  /** Rules still armed, with their remaining `times`. */
  rules(): readonly ScriptRule[];
  /** Consumes one use of the first armed rule matching the call in this phase. */
  take(call: CallContext, phase: FailurePhase): SimulatedFailure | undefined;
}

const matches = (rule: ScriptRule, call: CallContext): boolean => {
  const match = rule.match ?? {};
  return (
    rule.operation === call.operation &&
    (match.reservationId === undefined || match.reservationId === call.reservationId) &&
    (match.attempt === undefined || match.attempt === call.attempt) &&
    (match.amount === undefined || match.amount === call.amount) &&
    (match.idempotencyKeyPrefix === undefined ||
      call.idempotencyKey.startsWith(match.idempotencyKeyPrefix))
  );
};

export const createPaymentScript = (initial: readonly ScriptRule[] = []): PaymentScript => {
  let armed: ScriptRule[] = [];
  const script: PaymentScript = {
    add: (...rules) => {
      armed.push(...rules.filter((rule) => rule.times === undefined || rule.times > 0));
    },
    clear: () => {
      armed = [];
    },
    rules: () => [...armed],
    take: (call, phase) => {
      const index = armed.findIndex(
        (rule) => phaseOf(rule.failure) === phase && matches(rule, call),
      );
      const rule = armed[index];
      if (rule === undefined) return undefined;
      if (rule.times !== undefined) {
        if (rule.times <= 1) armed.splice(index, 1);
        else armed[index] = { ...rule, times: rule.times - 1 };
      }
      return rule.failure;
    },
  };
  script.add(...initial);
  return script;
};

const failureSchema = z.union([
  z.enum(['decline', 'captureFailure', '5xx', 'timeoutBeforeEffect', 'timeoutAfterEffect']),
  z.object({ kind: z.literal('decline'), declineCode: z.string().min(1).optional() }),
  z.object({ kind: z.literal('captureFailure'), declineCode: z.string().min(1).optional() }),
  z.object({ kind: z.literal('timeout'), effect: z.enum(['applied', 'notApplied']) }),
  z.object({ kind: z.literal('5xx'), status: z.number().int().min(500).max(599).optional() }),
]);

const ruleSchema = z.object({
  operation: z.enum(['authorize', 'capture', 'cancelAuthorization', 'refund', 'transfer']),
  match: z
    .object({
      reservationId: z.string().min(1).optional(),
      attempt: z.number().int().positive().optional(),
      amount: z.number().int().optional(),
      idempotencyKeyPrefix: z.string().min(1).optional(),
    })
    .strict()
    .optional(),
  failure: failureSchema,
  times: z.number().int().positive().optional(),
});

const toFailure = (failure: z.infer<typeof failureSchema>): SimulatedFailure => {
  if (typeof failure !== 'string') return failure as SimulatedFailure;
  if (failure === 'timeoutBeforeEffect') return { kind: 'timeout', effect: 'notApplied' };
  if (failure === 'timeoutAfterEffect') return { kind: 'timeout', effect: 'applied' };
  return { kind: failure };
};

/**
 * Parses a script from JSON (the demo's configuration), e.g.
 * `[{"operation":"capture","match":{"idempotencyKeyPrefix":"vendor-capture-"},"failure":"captureFailure"}]`.
 * Shorthand failures: decline, captureFailure, 5xx, timeoutBeforeEffect, timeoutAfterEffect.
 */
export const parsePaymentScript = (json: string): ScriptRule[] => {
  const rules = z.array(ruleSchema).parse(JSON.parse(json));
  return rules.map((rule) => ({ ...rule, failure: toFailure(rule.failure) }) as ScriptRule);
};
