import { expect } from 'chai';
import fc from 'fast-check';
import { z } from 'zod';
import { EventRejectedError, registeredEventDefinitions } from '../../domain/events/registry.ts';
import { arbitraryOf, type JsonSchema } from '../../domain/events/testing/arbitraryOf.ts';
import type { Decider } from '../../domain/shared/decider.ts';
import type { DomainEvent } from '../../domain/shared/eventDefinition.ts';
import { getInMemoryEventStore } from '../../infra/eventStore/memory/inMemoryEventStore.ts';
import { handleCommand } from './commandHandler.ts';
import { decodeRecorded, domainEventCodec, toEventsToAppend } from './eventCodec.ts';
import { testIds } from './testing/fixedIds.ts';

const codec = domainEventCodec;
/** What the stores do to data: JSON (jsonb in PostgreSQL). */
const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** Breaks a valid payload: a key dropped, a value of the wrong kind, or no object at all. */
const broken = (valid: unknown): fc.Arbitrary<unknown> => {
  const keys = Object.keys(valid as object);
  const wrongKind = (value: unknown): unknown =>
    typeof value === 'string' ? 12_345 : typeof value === 'number' ? 'twelve' : 'not-this-kind';
  const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(null, 'data', 42, [] as unknown[])];
  if (keys.length > 0) {
    options.push(
      fc.constantFrom(...keys).map((key) => {
        const copy = { ...(valid as Record<string, unknown>) };
        delete copy[key];
        return copy;
      }),
      fc.constantFrom(...keys).map((key) => {
        const copy = { ...(valid as Record<string, unknown>) };
        copy[key] = wrongKind(copy[key]);
        return copy;
      }),
    );
  }
  return fc.oneof(...options);
};

/** A decider that decides exactly the event it is given: the append path under test. */
const echo: Decider<DomainEvent, DomainEvent, null> = {
  initialState: () => null,
  evolve: (state) => state,
  decide: (command) => [command],
};

describe('event codec: one schema both ways, for every registered event type', () => {
  const definitions = registeredEventDefinitions();

  it('covers every event type the registry reads', () => {
    expect(definitions.length).to.be.greaterThan(40);
  });

  for (const definition of definitions) {
    const schema = definition.schema;
    const valid = arbitraryOf(
      z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema,
    ).filter((data) => schema.safeParse(data).success);

    it(`${definition.type}: encode → store (JSON) → decode round-trips, and re-encoding is stable`, () => {
      fc.assert(
        fc.property(valid, (data) => {
          const [event] = toEventsToAppend(codec, testIds, [{ type: definition.type, data }], {});
          if (event === undefined) throw new Error('nothing encoded');
          expect(event.schemaVersion).to.equal(definition.schemaVersion);
          const stored = throughJson(event.data);
          const decoded = codec.decode(definition.type, event.schemaVersion, stored);
          expect(decoded).to.deep.equal({ type: definition.type, data: stored });
          expect(throughJson(codec.encode(definition.type, decoded.data).data)).to.deep.equal(
            stored,
          );
        }),
        { numRuns: 40 },
      );
    });

    it(`${definition.type}: a payload its schema refuses is refused at append, and nothing is stored`, async () => {
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(
          valid.chain((data) => broken(data)),
          async (data) => {
            const readable = schema.safeParse(data).success;
            const store = getInMemoryEventStore();
            const attempt = handleCommand(
              { store, codec, ids: testIds },
              'codec-probe',
              echo,
              { type: definition.type, data },
              {},
            );
            if (readable) {
              await attempt;
              const [recorded] = await store.readStream('codec-probe');
              if (recorded === undefined) throw new Error('nothing stored');
              decodeRecorded(codec, recorded);
              return;
            }
            refused += 1;
            const error = await attempt.then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error).to.be.instanceOf(EventRejectedError);
            expect(await store.readStream('codec-probe')).to.deep.equal([]);
          },
        ),
        { numRuns: 30 },
      );
      expect(refused, 'the broken payloads were all still valid').to.be.greaterThan(0);
    });
  }

  it('refuses an unknown event type at append', () => {
    expect(() => codec.encode('NoSuchEvent', {})).to.throw(EventRejectedError);
  });
});
