import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { UPCASTERS, registeredEventDefinitions } from './registry.ts';

/**
 * Guards stored events against silent shape changes. The fixture holds each
 * event's JSON schema with its schemaVersion. A shape change needs a version
 * bump plus an upcaster; then refresh the fixture with
 * `UPDATE_EVENT_SCHEMAS=1 npx mocha domain/events/eventSchemas.unit.spec.ts`
 * and commit it.
 */
const FIXTURE = new URL('./eventSchemas.snapshot.json', import.meta.url);
type Snapshot = Record<string, { schemaVersion: number; jsonSchema: unknown }>;

const current = (): Snapshot =>
  Object.fromEntries(
    registeredEventDefinitions()
      .map(
        (d) =>
          [
            d.type,
            {
              schemaVersion: d.schemaVersion,
              jsonSchema: z.toJSONSchema(d.schema, { unrepresentable: 'any' }),
            },
          ] as const,
      )
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

describe('event schemas', () => {
  const now = current();
  if (process.env['UPDATE_EVENT_SCHEMAS'] === '1')
    writeFileSync(FIXTURE, `${JSON.stringify(now, null, 2)}\n`);
  const stored = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Snapshot;

  it('keeps every stored event type readable', () => {
    const missing = Object.keys(stored).filter((type) => !(type in now));
    expect(missing, 'event types removed from the registry but present in the log').to.deep.equal(
      [],
    );
  });

  for (const [type, entry] of Object.entries(now)) {
    it(`${type} changes shape only with a new schemaVersion`, () => {
      const snapshot = stored[type];
      expect(
        snapshot,
        `${type} has no snapshot; run with UPDATE_EVENT_SCHEMAS=1 and commit the fixture`,
      ).to.not.equal(undefined);
      if (snapshot === undefined) return;
      if (snapshot.schemaVersion === entry.schemaVersion) {
        expect(
          entry.jsonSchema,
          `${type} changed shape: bump its schemaVersion and add an upcaster`,
        ).to.deep.equal(snapshot.jsonSchema);
      } else {
        expect.fail(
          `${type} is now v${entry.schemaVersion} (snapshot v${snapshot.schemaVersion}); refresh the fixture.`,
        );
      }
    });
    it(`${type} has an upcaster from every older version`, () => {
      for (let version = 1; version < entry.schemaVersion; version++) {
        expect(UPCASTERS[type]?.[version], `${type} v${version} → v${version + 1}`).to.be.a(
          'function',
        );
      }
    });
  }
});
