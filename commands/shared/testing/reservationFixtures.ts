import { randomUUID } from 'node:crypto';
import { reservationDecider } from '../../../domain/reservation/decider.ts';
import type { ReservationCommand } from '../../../domain/reservation/commands.ts';
import type { Reservation } from '../../../domain/reservation/state.ts';
import { resourceDecider } from '../../../domain/resource/resourceDecider.ts';
import type { ResourceConfig } from '../../../domain/resource/schema.ts';
import { sampleTimed } from '../../../domain/resource/testing/sampleResources.ts';
import { reservationStream, resourceStream, slotStream } from '../../../domain/shared/streams.ts';
import { slotDecider } from '../../../domain/slot/slotDecider.ts';
import { handleCommand, loadStream } from '../commandHandler.ts';
import type { WriteSide } from '../writeSide.ts';

const SYSTEM = { actor: { principal: 'test-saga', role: 'system' as const } };

/** Registers a resource the way the resources endpoint will, straight through its decider. */
export const registerResource = async (
  writeSide: WriteSide,
  config: ResourceConfig,
  resourceId = `res-${randomUUID().slice(0, 8)}`,
): Promise<string> => {
  await handleCommand(
    writeSide,
    resourceStream(resourceId),
    resourceDecider,
    { type: 'RegisterResource', resourceId, config, now: writeSide.clock.now().toISOString() },
    SYSTEM,
  );
  return resourceId;
};

/** Retires a resource through its decider. */
export const retireResource = async (writeSide: WriteSide, resourceId: string): Promise<void> => {
  await handleCommand(
    writeSide,
    resourceStream(resourceId),
    resourceDecider,
    {
      type: 'RetireResource',
      resourceId,
      reason: 'test',
      now: writeSide.clock.now().toISOString(),
    },
    SYSTEM,
  );
};

const send = (writeSide: WriteSide, reservationId: string, command: ReservationCommand) =>
  handleCommand(writeSide, reservationStream(reservationId), reservationDecider, command, SYSTEM);

/**
 * Plays the payment saga's part for an instant resource without deposit:
 * asks for the requester's authorization unless that was asked already, then
 * authorized → revalidated → commit → every slot hold booked → committed.
 * Leaves the reservation CONFIRMED with its slots booked.
 */
export const commitAsSaga = async (
  writeSide: WriteSide,
  reservationId: string,
): Promise<Reservation> => {
  const now = () => writeSide.clock.now().toISOString();
  const base = { reservationId };
  const loaded = await loadStream(writeSide, reservationStream(reservationId), reservationDecider);
  if (loaded.state.status === 'NONE') throw new Error(`No reservation ${reservationId}.`);
  const owed = loaded.state.quote.total;
  if (loaded.state.status === 'HELD')
    await send(writeSide, reservationId, { ...base, type: 'RequestAuthorization', now: now() });
  await send(writeSide, reservationId, {
    ...base,
    type: 'RecordRequesterAuthorization',
    now: now(),
    authorization: { authorizationId: `pi_${reservationId.slice(0, 8)}`, amount: owed },
  });
  await send(writeSide, reservationId, {
    ...base,
    type: 'Revalidate',
    outcome: 'passed',
    now: now(),
  });
  await send(writeSide, reservationId, { ...base, type: 'BeginCommit', now: now() });
  for (const slotKey of loaded.state.slots) {
    await handleCommand(
      writeSide,
      slotStream(loaded.state.resource.resourceId, slotKey),
      slotDecider,
      { type: 'BookHold', reservationId, now: now() },
      SYSTEM,
    );
  }
  const committed = await send(writeSide, reservationId, {
    ...base,
    type: 'RecordCommitSuccess',
    now: now(),
    captures: { vendor: null, requester: `ch_${reservationId.slice(0, 8)}` },
  });
  return committed.state as Reservation;
};

/**
 * sampleTimed() is taxed in the US, which the VAT table does not know (quoting
 * refuses with TAX_RATE_UNKNOWN); the write-side tests price it under German VAT.
 */
export const timedResource = (overrides: Partial<ResourceConfig> = {}): ResourceConfig =>
  sampleTimed({ taxJurisdiction: { country: 'DE', eilatDealer: false }, ...overrides });
