import { commandsFor } from '../../../domain/payment/sagaCommands.ts';
import type { GatewayCommand } from '../../../domain/payment/sagaMessages.ts';
import type { PaymentStep } from '../../../domain/payment/steps.ts';
import { hasOpenDispute } from '../../../domain/payment/settlementState.ts';
import { callGateway, type StepOutcome } from './callGateway.ts';
import type { DueStep } from './ports.ts';
import { issueReservationCommand, loadReservationState } from './reservationCommands.ts';
import type { PaymentSagaDeps } from './sagaDeps.ts';
import { decideSaga, loadRunningSaga, readSagaEvents } from './sagaStream.ts';
import { releaseSlots, revalidateSlots } from './slotWork.ts';

/**
 * Runs one requested step if it is still pending at that attempt (a
 * redelivery or a timer that fired after the answer was recorded does
 * nothing), then records the outcome on the saga's stream. A step whose time
 * has not come is parked on a durable timer instead.
 */
export const runStep = async (
  deps: PaymentSagaDeps,
  step: PaymentStep,
  attempt: number,
  command: GatewayCommand,
  causationId: string,
): Promise<void> => {
  const { reservationId } = command;
  const due: DueStep = { reservationId, step, attempt };
  const saga = await loadRunningSaga(deps, reservationId);
  const current = saga?.steps[step];
  if (saga === undefined || current?.status !== 'pending' || current.attempt !== attempt) {
    await deps.timers.done(due);
    return;
  }
  const now = deps.clock.now();
  if (Date.parse(command.notBefore) > now.getTime()) {
    await deps.timers.schedule(due, new Date(command.notBefore));
    return;
  }
  // An open dispute freezes the vendor's payout; closing it requests the payout again.
  if (command.type === 'Transfer' && hasOpenDispute(saga.settlement)) {
    await deps.timers.done(due);
    return;
  }
  const reservation = await loadReservationState(deps, reservationId);
  if (reservation.status === 'NONE') return;
  let outcome: StepOutcome;
  switch (command.type) {
    case 'RevalidateAvailability': {
      // Recorded by the reservation's own event (AvailabilityRevalidated or …Failed), which the saga observes.
      const result = await revalidateSlots(deps, reservation, now.toISOString());
      await issueReservationCommand(
        deps,
        { type: 'Revalidate', reservationId, now: now.toISOString(), ...result },
        causationId,
      );
      await deps.timers.done(due);
      return;
    }
    case 'ReleaseHolds':
      await releaseSlots(deps, reservation, 'PAYMENT_COMPENSATION', now.toISOString(), causationId);
      outcome = { kind: 'succeeded', providerId: 'slots-released' };
      break;
    case 'NotifyVendorOfRequest':
    case 'AuthorizeVendorDeposit':
    case 'AuthorizeRequester':
    case 'Capture':
    case 'CancelAuthorization':
    case 'Refund':
    case 'Transfer':
      outcome = await callGateway(deps, command, step, attempt, saga, reservation);
      break;
    default: {
      const _never: never = command;
      return _never;
    }
  }
  const at = deps.clock.now().toISOString();
  await decideSaga(
    deps,
    outcome.kind === 'actionRequired'
      ? {
          type: 'ActionRequired',
          reservationId,
          step,
          attempt,
          authorizationId: outcome.authorizationId,
          nextAction: outcome.nextAction,
          now: at,
          jitter: deps.jitter(),
        }
      : {
          type: 'StepCompleted',
          reservationId,
          step,
          attempt,
          outcome,
          now: at,
          jitter: deps.jitter(),
        },
    reservationId,
    causationId,
  );
  await deps.timers.done(due);
};

/** A parked step whose time came: re-derive its command from the request on the saga's stream. */
export const runDueStep = async (deps: PaymentSagaDeps, due: DueStep): Promise<void> => {
  const saga = await loadRunningSaga(deps, due.reservationId);
  const request = (await readSagaEvents(deps, due.reservationId)).findLast(
    (e) =>
      e.type === 'PaymentStepRequested' &&
      e.data.step === due.step &&
      e.data.attempt === due.attempt,
  );
  if (saga === undefined || request === undefined) {
    await deps.timers.done(due);
    return;
  }
  for (const command of commandsFor(request, saga)) {
    if (command.kind === 'gateway')
      await runStep(deps, command.step, command.attempt, command.command, `timer:${due.step}`);
    else await issueReservationCommand(deps, command.command, `timer:${due.step}`);
  }
};
