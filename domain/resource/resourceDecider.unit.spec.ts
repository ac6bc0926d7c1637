import { expect } from 'chai';
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { given } from '../shared/testing/givenWhenThen.ts';
import type { ResourceEvent } from './events.ts';
import { resourceDecider } from './resourceDecider.ts';
import { sampleNightly, sampleTimed } from './testing/sampleResources.ts';

const NOW = '2026-01-05T08:00:00.000Z';
const LATER = '2026-01-06T08:00:00.000Z';
const config = sampleNightly();
const register = { type: 'RegisterResource', resourceId: 'room-1', config, now: NOW } as const;
const registered: ResourceEvent = {
  type: 'ResourceRegistered',
  data: { resourceId: 'room-1', ...config, registeredAt: NOW },
};
const retired: ResourceEvent = {
  type: 'ResourceRetired',
  data: { resourceId: 'room-1', reason: 'sold', retiredAt: LATER },
};
const change = (changes: object) =>
  ({ type: 'ChangeResource', resourceId: 'room-1', changes, now: LATER }) as const;

describe('Resource decider', () => {
  describe('RegisterResource', () => {
    it('registers a nightly and a timed resource', () => {
      const state = given(resourceDecider, []).when(register).then([registered]);
      expect(state).to.deep.equal({ status: 'Active', resourceId: 'room-1', config });
      given(resourceDecider, [])
        .when({ ...register, resourceId: 'svc-1', config: sampleTimed() })
        .then([
          {
            type: 'ResourceRegistered',
            data: { resourceId: 'svc-1', ...sampleTimed(), registeredAt: NOW },
          },
        ]);
    });
    it('is idempotent for the same configuration', () => {
      given(resourceDecider, [registered]).when(register).then([]);
    });
    it('refuses a second, different registration', () => {
      given(resourceDecider, [registered])
        .when({ ...register, config: sampleNightly({ capacity: 9 }) })
        .thenThrows(IllegalStateError, 'ALREADY_REGISTERED');
    });
    it('refuses invalid or inconsistent configurations with a message naming the field', () => {
      const bad = given(resourceDecider, [])
        .when({ ...register, config: sampleNightly({ zone: '+02:00' }) })
        .thenThrows(ValidationError);
      expect(bad.message).to.match(/zone/);
      given(resourceDecider, [])
        .when({ ...register, config: sampleNightly({ currency: 'USD' }) })
        .thenThrows(ValidationError);
      given(resourceDecider, [])
        .when({ ...register, config: sampleNightly({ slotMinutes: 60 }) })
        .thenThrows(ValidationError);
      given(resourceDecider, [])
        .when({
          ...register,
          config: sampleNightly({ weeklyHours: [{ day: 'mon', opens: '17:00', closes: '09:00' }] }),
        })
        .thenThrows(ValidationError);
      given(resourceDecider, [])
        .when({ ...register, resourceId: 'a.b' })
        .thenThrows(ValidationError);
    });
  });

  describe('ChangeResource', () => {
    it('emits one event per changed group and nothing for unchanged ones', () => {
      const state = given(resourceDecider, [registered])
        .when(
          change({
            capacity: 5,
            horizonDays: 30,
            minimumNoticeMinutes: 0,
            confirmationPolicy: 'instant',
          }),
        )
        .then([
          {
            type: 'ResourceCapacityChanged',
            data: { resourceId: 'room-1', capacity: 5, changedAt: LATER },
          },
          {
            type: 'ResourceBookingWindowChanged',
            data: {
              resourceId: 'room-1',
              minimumNoticeMinutes: 0,
              horizonDays: 30,
              changedAt: LATER,
            },
          },
        ]);
      expect(state.status === 'Active' && state.config.capacity).to.equal(5);
    });
    it('changes hours, restrictions, deposit and listing', () => {
      const hours = [{ day: 'sat' as const, opens: '10:00', closes: '14:00' }];
      given(resourceDecider, [registered])
        .when(change({ weeklyHours: hours, vendorDeposit: { amount: 100, currency: 'EUR' } }))
        .then([
          {
            type: 'ResourceHoursChanged',
            data: { resourceId: 'room-1', weeklyHours: hours, dateOverrides: [], changedAt: LATER },
          },
          {
            type: 'ResourceVendorDepositChanged',
            data: {
              resourceId: 'room-1',
              vendorDeposit: { amount: 100, currency: 'EUR' },
              changedAt: LATER,
            },
          },
        ]);
    });
    it('decides nothing when nothing changes', () => {
      given(resourceDecider, [registered])
        .when(change({ capacity: 2 }))
        .then([]);
    });
    it('refuses fixed fields, bad values and inconsistent results', () => {
      given(resourceDecider, [registered])
        .when(change({ zone: 'Asia/Tokyo' }))
        .thenThrows(ValidationError);
      given(resourceDecider, [registered])
        .when(change({ capacity: -1 }))
        .thenThrows(ValidationError);
      given(resourceDecider, [registered])
        .when(change({ vendorDeposit: { amount: 100, currency: 'USD' } }))
        .thenThrows(ValidationError);
    });
    it('refuses unknown and retired resources', () => {
      given(resourceDecider, [])
        .when(change({ capacity: 3 }))
        .thenThrows(NotFoundError);
      given(resourceDecider, [registered, retired])
        .when(change({ capacity: 3 }))
        .thenThrows(IllegalStateError, 'RESOURCE_RETIRED');
    });
  });

  describe('RetireResource', () => {
    const retire = {
      type: 'RetireResource',
      resourceId: 'room-1',
      reason: 'sold',
      now: LATER,
    } as const;
    it('retires, once', () => {
      given(resourceDecider, [registered]).when(retire).then([retired]);
      given(resourceDecider, [registered, retired]).when(retire).then([]);
    });
    it('refuses unknown resources and empty reasons', () => {
      given(resourceDecider, []).when(retire).thenThrows(NotFoundError);
      given(resourceDecider, [registered])
        .when({ ...retire, reason: ' ' })
        .thenThrows(ValidationError);
    });
  });
});
