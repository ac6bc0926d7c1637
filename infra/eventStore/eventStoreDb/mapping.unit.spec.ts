import {
  NO_STREAM as ESDB_NO_STREAM,
  StreamDeletedError,
  UnavailableError as EsdbUnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
} from '@eventstore/db-client';
import { expect } from 'chai';
import fc from 'fast-check';
import {
  ConcurrencyError,
  ConflictError,
  UnavailableError,
  ValidationError,
} from '../../../domain/shared/errors.ts';
import { matchesFilter, toRecordedEvent, toServerFilter } from './events.ts';
import {
  compareCheckpoints,
  parseCheckpoint,
  toCheckpoint,
  toDomainError,
  toEsdbExpectedRevision,
} from './mapping.ts';

const recorded = (streamId: string, type: string, metadata: unknown): AllStreamResolvedEvent => ({
  event: {
    streamId,
    id: '7f3c3a4e-8a43-4c55-9a0e-1f2d3c4b5a69',
    isJson: true,
    revision: 4n,
    type,
    created: new Date('2026-12-24T09:00:00.000Z'),
    data: { quantity: 2 },
    metadata: metadata as Record<string, unknown>,
    position: { commit: 1200n, prepare: 1100n },
  },
});

describe('EventStoreDB mapping', () => {
  describe('expected revision', () => {
    it('maps the three sentinels and numbers to the client revisions', () => {
      expect(toEsdbExpectedRevision('any')).to.equal('any');
      expect(toEsdbExpectedRevision('no_stream')).to.equal('no_stream');
      expect(toEsdbExpectedRevision('stream_exists')).to.equal('stream_exists');
      expect(toEsdbExpectedRevision(0)).to.equal(0n);
      expect(toEsdbExpectedRevision(41)).to.equal(41n);
    });

    it('refuses negative or fractional revisions with a ValidationError', () => {
      expect(() => toEsdbExpectedRevision(-1)).to.throw(ValidationError, /non-negative integer/);
      expect(() => toEsdbExpectedRevision(1.5)).to.throw(ValidationError);
    });
  });

  describe('error translation', () => {
    it('turns WrongExpectedVersionError into ConcurrencyError with the actual revision', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 'slot-r1.2026-12-24',
        expected: 3n,
        current: 5n,
      });
      const translated = toDomainError(error, 'slot-r1.2026-12-24', 3);
      expect(translated).to.be.instanceOf(ConcurrencyError);
      expect(translated).to.include({ stream: 'slot-r1.2026-12-24', expected: '3', actual: '5' });
    });

    it('reports a missing stream as actual no_stream and keeps the caller sentinel', () => {
      const error = new WrongExpectedVersionError(undefined, {
        streamName: 's-1',
        expected: 'stream_exists',
        current: ESDB_NO_STREAM,
      });
      expect(toDomainError(error, 's-1', 'stream_exists')).to.include({
        expected: 'stream_exists',
        actual: 'no_stream',
      });
    });

    it('maps a tombstoned stream to ConflictError and a down node to a retryable UnavailableError', () => {
      const deleted = toDomainError(StreamDeletedError.fromStreamName('s-1'), 's-1');
      expect(deleted).to.be.instanceOf(ConflictError).and.to.include({ code: 'STREAM_DELETED' });
      const down = toDomainError(new EsdbUnavailableError(), 's-1');
      expect(down).to.be.instanceOf(UnavailableError).and.to.include({ retryable: true });
    });

    it('passes unknown errors through untouched', () => {
      const error = new TypeError('boom');
      expect(toDomainError(error, 's-1')).to.equal(error);
    });
  });

  describe('checkpoints', () => {
    it('round-trips "<commit>:<prepare>" and rejects anything else', () => {
      expect(parseCheckpoint('1200:1100')).to.deep.equal({ commit: 1200n, prepare: 1100n });
      expect(toCheckpoint({ commit: 18446744073709551615n, prepare: 0n })).to.equal(
        '18446744073709551615:0',
      );
      for (const bad of ['', '12', '1:2:3', '-1:0', 'a:b', '1:']) {
        expect(() => parseCheckpoint(bad), bad).to.throw(ValidationError, /<commit>:<prepare>/);
      }
    });

    it('orders by commit then prepare, numerically rather than as text', () => {
      expect(compareCheckpoints('9:0', '10:0')).to.be.lessThan(0);
      expect(compareCheckpoints('10:5', '10:4')).to.be.greaterThan(0);
      expect(compareCheckpoints('10:4', '10:4')).to.equal(0);
    });

    it('is a total order consistent with bigint tuple order', () => {
      const position = fc.record({
        commit: fc.bigInt(0n, 2n ** 64n - 1n),
        prepare: fc.bigInt(0n, 2n ** 64n - 1n),
      });
      fc.assert(
        fc.property(position, position, (a, b) => {
          const expected =
            a.commit === b.commit
              ? Number(a.prepare > b.prepare) - Number(a.prepare < b.prepare)
              : Number(a.commit > b.commit) - Number(a.commit < b.commit);
          expect(Math.sign(compareCheckpoints(toCheckpoint(a), toCheckpoint(b)))).to.equal(
            expected,
          );
          expect(Math.sign(compareCheckpoints(toCheckpoint(b), toCheckpoint(a)))).to.equal(
            -expected,
          );
        }),
      );
    });
  });

  describe('events', () => {
    it('lifts schemaVersion out of the metadata and uses the $all position as checkpoint', () => {
      const event = toRecordedEvent(
        recorded('slot-r1.2026-12-24', 'SlotHeld', {
          schemaVersion: 3,
          recordedAt: '2026-12-24T09:00:00.000Z',
          hash: 'h1',
          previousHash: 'h0',
        }),
      );
      expect(event).to.deep.equal({
        eventId: '7f3c3a4e-8a43-4c55-9a0e-1f2d3c4b5a69',
        type: 'SlotHeld',
        schemaVersion: 3,
        data: { quantity: 2 },
        metadata: { recordedAt: '2026-12-24T09:00:00.000Z', hash: 'h1', previousHash: 'h0' },
        stream: 'slot-r1.2026-12-24',
        revision: 4,
        globalPosition: 1200n,
        checkpoint: '1200:1100',
      });
    });

    it('hides server events: $-streams, $-types and links', () => {
      expect(toRecordedEvent(recorded('$$slot-r1', '$metadata', {}))).to.equal(undefined);
      expect(toRecordedEvent(recorded('$stats-127.0.0.1:2113', 'Stats', {}))).to.equal(undefined);
      expect(toRecordedEvent(recorded('slot-r1', '$>', {}))).to.equal(undefined);
    });

    it('filters by category (before the first dash) and by type, server side and client side', () => {
      const event = toRecordedEvent(recorded('slot-r1.2026-12-24', 'SlotHeld', {}));
      if (!event) throw new Error('expected an event');
      expect(matchesFilter({ categories: ['slot'] }, event)).to.equal(true);
      expect(matchesFilter({ categories: ['slo'] }, event)).to.equal(false);
      expect(matchesFilter({ categories: ['slot'], eventTypes: ['HoldReleased'] }, event)).to.equal(
        false,
      );
      const byCategory = toServerFilter({ categories: ['slot', 'a.b'] });
      expect(byCategory).to.include({ filterOn: 'streamName' });
      const regex = new RegExp('regex' in byCategory ? byCategory.regex : '');
      expect(['slot-1', 'slot', 'a.b-2'].every((name) => regex.test(name))).to.equal(true);
      expect(['slotx-1', 'axb-2', '$$slot-1'].some((name) => regex.test(name))).to.equal(false);
      expect(toServerFilter(undefined)).to.include({ filterOn: 'eventType', regex: '^[^$].*' });
    });
  });
});
