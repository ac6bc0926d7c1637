import { requestStep } from './sagaCompensation.ts';
import type { PaymentSagaOptions } from './sagaDecide.ts';
import type { PaymentSagaEvent } from './sagaEvents.ts';
import type { PaymentSagaInput } from './sagaMessages.ts';
import type { RunningSaga } from './sagaState.ts';
import { plus } from './sagaStepOutcome.ts';

/** Seconds the requester has for 3-D Secure when PAYMENT_SCA_TIMEOUT_SECONDS is not set. */
export const DEFAULT_SCA_TIMEOUT_SECONDS = 600;
/** Seconds between two looks at a waiting authorization when PAYMENT_SCA_POLL_SECONDS is not set. */
export const DEFAULT_SCA_POLL_SECONDS = 15;

/**
 * 3-D Secure (SCA): the authorization answered `requires_action`. The first
 * answer records what the requester must do and until when
 * (`PaymentActionRequired`); every answer keeps the step pending and asks for
 * another look at the provider after the poll interval, under the same
 * idempotency key (the gateway then reads the PaymentIntent instead of
 * creating one). A webhook (`payment_intent.amount_capturable_updated`)
 * answers the pending step sooner; past `expiresAt` the look fails the step
 * into compensation.
 */
export const onActionRequired = (
  saga: RunningSaga,
  input: Extract<PaymentSagaInput, { type: 'ActionRequired' }>,
  options: PaymentSagaOptions,
): PaymentSagaEvent[] => {
  const current = saga.steps[input.step];
  if (current?.status !== 'pending' || current.attempt !== input.attempt) return [];
  const waiting =
    saga.actionRequired?.step === input.step &&
    saga.actionRequired.authorizationId === input.authorizationId
      ? saga.actionRequired
      : null;
  const timeoutMs = (options.scaTimeoutSeconds ?? DEFAULT_SCA_TIMEOUT_SECONDS) * 1_000;
  const expiresAt = waiting?.expiresAt ?? plus(input.now, timeoutMs);
  const recorded: PaymentSagaEvent[] = waiting
    ? []
    : [
        {
          type: 'PaymentActionRequired',
          data: {
            reservationId: saga.reservationId,
            at: input.now,
            step: input.step,
            attempt: input.attempt,
            authorizationId: input.authorizationId,
            nextAction: input.nextAction,
            expiresAt,
          },
        },
      ];
  const pollMs = (options.scaPollSeconds ?? DEFAULT_SCA_POLL_SECONDS) * 1_000;
  const next = plus(input.now, pollMs);
  const notBefore = Date.parse(next) < Date.parse(expiresAt) ? next : expiresAt;
  return [
    ...recorded,
    requestStep(
      saga,
      input.step,
      input.attempt + 1,
      input.now,
      current.amount,
      input.authorizationId,
      notBefore,
      current.idempotencyKey,
    ),
  ];
};
