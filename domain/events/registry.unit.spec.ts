import { expect } from 'chai';
import { ValidationError } from '../shared/errors.ts';
import { currentSchemaVersion, isRegisteredEventType, parseStoredEvent } from './registry.ts';

const held = {
  resourceId: 'room-1',
  slotKey: '2026-12-24',
  reservationId: 'r1',
  quantity: 1,
  expiresAt: '2026-12-01T10:10:00.000Z',
  heldAt: '2026-12-01T10:00:00.000Z',
};

describe('event registry', () => {
  it('parses a stored event into a typed, validated domain event', () => {
    const event = parseStoredEvent('SlotHeld', 1, held);
    expect(event).to.deep.equal({ type: 'SlotHeld', data: held });
    if (event.type === 'SlotHeld') expect(event.data.quantity).to.equal(1);
    expect(isRegisteredEventType('ResourceRegistered')).to.equal(true);
    expect(currentSchemaVersion('SlotHeld')).to.equal(1);
  });
  it('refuses unknown types, unknown versions and invalid data', () => {
    expect(() => parseStoredEvent('SlotTeleported', 1, {})).to.throw(
      ValidationError,
      /Unknown event type/,
    );
    expect(() => parseStoredEvent('SlotHeld', 2, held)).to.throw(
      ValidationError,
      /reads versions 1–1/,
    );
    expect(() => parseStoredEvent('SlotHeld', 0, held)).to.throw(ValidationError);
    expect(() => parseStoredEvent('SlotHeld', 1, { ...held, quantity: 0 })).to.throw(
      ValidationError,
      /quantity/,
    );
  });
});
