import type { Period } from '../../domain/availability/period.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import type { EpochMillis, LocalDate } from '../../domain/shared/time.ts';

/** Either dates or instants, never both, as the two query shapes say. */
export const toQueryPeriod = (input: {
  readonly checkIn?: LocalDate | undefined;
  readonly checkOut?: LocalDate | undefined;
  readonly slotStart?: EpochMillis | undefined;
  readonly slotEnd?: EpochMillis | undefined;
}): Period => {
  const { checkIn, checkOut, slotStart, slotEnd } = input;
  if (
    checkIn !== undefined &&
    checkOut !== undefined &&
    slotStart === undefined &&
    slotEnd === undefined
  )
    return { kind: 'nights', checkIn, checkOut };
  if (
    slotStart !== undefined &&
    slotEnd !== undefined &&
    checkIn === undefined &&
    checkOut === undefined
  )
    return { kind: 'instants', start: slotStart, end: slotEnd };
  throw new ValidationError(
    'Send checkIn and checkOut for a nightly stay, or slotStart and slotEnd for timed slots.',
    {
      fields: ['checkIn', 'checkOut', 'slotStart', 'slotEnd'],
    },
  );
};
