import type { PaymentSagaState } from '../../domain/payment/sagaState.ts';

/** The payment saga's progress as seed 004's `paymentState`; null before the saga started. */
export const paymentStateOf = (saga: PaymentSagaState) =>
  saga.status === 'NONE'
    ? null
    : {
        status: saga.status,
        commit: saga.commit,
        steps: saga.steps,
        compensations: saga.compensations,
        // 3-D Secure: what the requester's browser must do (Stripe.js handleNextAction with the client secret) and by when.
        requiresAction:
          saga.actionRequired === null
            ? null
            : {
                step: saga.actionRequired.step,
                authorizationId: saga.actionRequired.authorizationId,
                ...saga.actionRequired.nextAction,
                expiresAt: saga.actionRequired.expiresAt,
              },
        settlement: {
          due: saga.settlement.due,
          ended: saga.settlement.ended,
          flagged: saga.settlement.flagged,
          charges: saga.settlement.charges,
        },
      };
