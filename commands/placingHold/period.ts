import { ValidationError } from '../../domain/shared/errors.ts';
import type { HoldPeriod } from '../../domain/booking/holdPeriod.ts';

/** Exactly one of the two period shapes, both halves present. */
export const periodOf = (input: {
  checkIn?: string | undefined;
  checkOut?: string | undefined;
  slotStart?: string | undefined;
  slotEnd?: string | undefined;
}): HoldPeriod => {
  const nights = input.checkIn !== undefined || input.checkOut !== undefined;
  const slots = input.slotStart !== undefined || input.slotEnd !== undefined;
  if (nights && !slots && input.checkIn !== undefined && input.checkOut !== undefined) {
    return { kind: 'nights', checkIn: input.checkIn, checkOut: input.checkOut };
  }
  if (slots && !nights && input.slotStart !== undefined && input.slotEnd !== undefined) {
    return { kind: 'instants', start: input.slotStart, end: input.slotEnd };
  }
  throw new ValidationError(
    'Send either checkIn and checkOut (a nightly stay) or slotStart and slotEnd (timed slots), not both and not half of one.',
    { fields: ['checkIn', 'checkOut', 'slotStart', 'slotEnd'] },
  );
};
