import type { GatewayCommand } from '../../../domain/payment/sagaMessages.ts';
import type { PaymentStep } from '../../../domain/payment/steps.ts';
import type { RunningSaga } from '../../../domain/payment/sagaState.ts';
import type { Reservation } from '../../../domain/reservation/state.ts';
import { DomainError, IllegalStateError } from '../../../domain/shared/errors.ts';
import {
  PaymentDeclinedError,
  PaymentIdempotencyMismatchError,
  PaymentInvalidRequestError,
  PaymentProviderUnavailableError,
  type NextAction,
  type PaymentMetadata,
  type PaymentOperation,
} from '../paymentGateway.ts';
import { VendorAccountMissingError } from './ports.ts';
import type { PaymentSagaDeps } from './sagaDeps.ts';

export type StepOutcome =
  | { readonly kind: 'succeeded'; readonly providerId: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly retryable: boolean }
  /** 3-D Secure: the requester must authenticate before the authorization holds money. */
  | {
      readonly kind: 'actionRequired';
      readonly authorizationId: string;
      readonly nextAction: NextAction;
    };

type MoneyCommand = Exclude<
  GatewayCommand,
  { type: 'RevalidateAvailability' } | { type: 'ReleaseHolds' }
>;

const operationOf = (command: MoneyCommand): PaymentOperation | undefined => {
  switch (command.type) {
    case 'AuthorizeVendorDeposit':
    case 'AuthorizeRequester':
      return 'authorize';
    case 'Capture':
      return 'capture';
    case 'CancelAuthorization':
      return 'cancelAuthorization';
    case 'Refund':
      return 'refund';
    case 'Transfer':
      return 'transfer';
    case 'NotifyVendorOfRequest':
      return undefined;
    default: {
      const _never: never = command;
      return _never;
    }
  }
};

/** Refunds address the authorization (Stripe refunds by payment_intent); the saga knows it from the auth step. */
const authorizationOf = (saga: RunningSaga, party: 'vendor' | 'requester'): string => {
  const auth = saga.steps[`${party}-auth`];
  if (auth?.status !== 'succeeded')
    throw new IllegalStateError(
      `Reservation ${saga.reservationId} has no ${party} authorization to refund against.`,
    );
  return auth.providerId;
};

const call = async (
  deps: PaymentSagaDeps,
  command: MoneyCommand,
  step: PaymentStep,
  saga: RunningSaga,
  reservation: Reservation,
  metadata: PaymentMetadata,
): Promise<string | Extract<StepOutcome, { kind: 'actionRequired' }>> => {
  const key = { idempotencyKey: command.idempotencyKey };
  switch (command.type) {
    case 'NotifyVendorOfRequest':
      await deps.notifier.notifyVendor({
        ...key,
        reservationId: saga.reservationId,
        vendorId: command.vendorId,
      });
      return `notified:${command.idempotencyKey}`;
    case 'AuthorizeVendorDeposit': {
      const deposit = await deps.accounts.vendorDepositPaymentMethod(saga.vendorId);
      return (
        await deps.gateway.authorize({
          ...key,
          amount: command.amount,
          paymentMethod: deposit.paymentMethod,
          ...(deposit.customerRef === undefined ? {} : { customerRef: deposit.customerRef }),
          metadata,
        })
      ).authorizationId;
    }
    case 'AuthorizeRequester': {
      // Only the booking's own authorization has the requester on session; a
      // difference collected later (settle-auth) cannot ask for 3-D Secure.
      const onSession = step === 'requester-auth';
      const auth = await deps.gateway.authorize({
        ...key,
        amount: command.amount,
        paymentMethod: command.paymentMethod,
        metadata,
        ...(onSession ? { onSession } : {}),
      });
      return auth.status === 'requires_action'
        ? {
            kind: 'actionRequired',
            authorizationId: auth.authorizationId,
            nextAction: auth.nextAction,
          }
        : auth.authorizationId;
    }
    case 'Capture':
      return (
        await deps.gateway.capture({
          ...key,
          authorizationId: command.authorizationId,
          amount: command.amount,
        })
      ).captureId;
    case 'CancelAuthorization':
      try {
        return (
          await deps.gateway.cancelAuthorization({
            ...key,
            authorizationId: command.authorizationId,
          })
        ).authorizationId;
      } catch (error) {
        // An authorization that lapsed (7 days uncaptured) was cancelled by the provider: released all the same.
        if (
          error instanceof PaymentInvalidRequestError &&
          error.reason === 'unexpected_state' &&
          (await deps.gateway.retrievePayment(command.authorizationId)).status === 'cancelled'
        )
          return command.authorizationId;
        throw error;
      }
    case 'Refund':
      return (
        await deps.gateway.refund({
          ...key,
          authorizationId: command.authorizationId ?? authorizationOf(saga, command.party),
          amount: command.amount,
        })
      ).refundId;
    case 'Transfer':
      return (
        await deps.gateway.transfer({
          ...key,
          amount: command.amount,
          destinationAccount: await deps.accounts.vendorConnectedAccount(
            command.vendorId,
            saga.reservationId,
          ),
          transferGroup: command.transferGroup,
          metadata,
        })
      ).transferId;
    default: {
      const _never: never = command;
      return _never;
    }
  }
};

/** The attempt a key was minted for (`{step}-{reservationId}-{n}`): replays must send the same metadata. */
const keyAttempt = (idempotencyKey: string, fallback: number): number => {
  const match = /-(\d+)$/.exec(idempotencyKey);
  return match?.[1] === undefined ? fallback : Number(match[1]);
};

/**
 * Runs one outbound command and classifies the answer: a provider id, a final
 * refusal (decline, invalid request, key mismatch) or a retryable "no answer"
 * (the decider retries it under the same key). Anything else (our own
 * database down) is thrown so the subscription redelivers the event.
 */
export const callGateway = async (
  deps: PaymentSagaDeps,
  command: MoneyCommand,
  step: PaymentStep,
  attempt: number,
  saga: RunningSaga,
  reservation: Reservation,
): Promise<StepOutcome> => {
  const metadata: PaymentMetadata = {
    reservationId: saga.reservationId,
    bookingReference: saga.bookingReference,
    partnerId: reservation.partnerId,
    attempt: keyAttempt(command.idempotencyKey, attempt),
  };
  const waiting = saga.actionRequired;
  if (waiting?.step === step && command.type === 'AuthorizeRequester')
    return lookAtAuthentication(deps, waiting, step, command.idempotencyKey);
  try {
    const answer = await call(deps, command, step, saga, reservation, metadata);
    const operation = operationOf(command);
    if (operation !== undefined) deps.afterGatewayCall?.(operation, step);
    return typeof answer === 'string' ? { kind: 'succeeded', providerId: answer } : answer;
  } catch (error) {
    if (error instanceof PaymentProviderUnavailableError)
      return { kind: 'failed', reason: error.message, retryable: true };
    if (
      error instanceof VendorAccountMissingError ||
      error instanceof PaymentDeclinedError ||
      error instanceof PaymentInvalidRequestError ||
      error instanceof PaymentIdempotencyMismatchError
    )
      return { kind: 'failed', reason: error.message, retryable: false };
    // A notifier's own failure is retried with backoff (matrix row 2-3).
    if (command.type === 'NotifyVendorOfRequest')
      return {
        kind: 'failed',
        reason: error instanceof Error ? error.message : String(error),
        retryable: !(error instanceof DomainError) || error.retryable,
      };
    throw error;
  }
};

/**
 * An authorization waiting for 3-D Secure: reads the PaymentIntent (a second
 * authorize under the same key would only replay the first answer). Authorized
 * → the step succeeds; failed → it fails; still waiting → another look later,
 * or, past the deadline, the PaymentIntent is cancelled and the step fails
 * into compensation. No answer from the provider is another wait.
 */
const lookAtAuthentication = async (
  deps: PaymentSagaDeps,
  waiting: NonNullable<RunningSaga['actionRequired']>,
  step: PaymentStep,
  idempotencyKey: string,
): Promise<StepOutcome> => {
  const { authorizationId, nextAction } = waiting;
  const expired = deps.clock.now().getTime() >= Date.parse(waiting.expiresAt);
  const again: StepOutcome = { kind: 'actionRequired', authorizationId, nextAction };
  try {
    const seen = await deps.gateway.retrievePayment(authorizationId);
    if (seen.status === 'authorized' || seen.status === 'captured')
      return { kind: 'succeeded', providerId: authorizationId };
    if (seen.status === 'failed' || seen.status === 'cancelled')
      return {
        kind: 'failed',
        reason: `The requester's 3-D Secure authentication of ${authorizationId} failed (${seen.status}).`,
        retryable: false,
      };
    if (!expired) return again;
    await deps.gateway.cancelAuthorization({
      idempotencyKey: `sca-timeout-${idempotencyKey}`,
      authorizationId,
    });
    deps.afterGatewayCall?.('cancelAuthorization', step);
    return {
      kind: 'failed',
      reason: `The requester did not complete 3-D Secure for ${authorizationId} by ${waiting.expiresAt}; the authorization was cancelled.`,
      retryable: false,
    };
  } catch (error) {
    if (!(error instanceof PaymentProviderUnavailableError)) throw error;
    if (!expired) return again;
    return {
      kind: 'failed',
      reason: `The requester did not complete 3-D Secure for ${authorizationId} by ${waiting.expiresAt} (${error.message}).`,
      retryable: false,
    };
  }
};

export type { MoneyCommand };
