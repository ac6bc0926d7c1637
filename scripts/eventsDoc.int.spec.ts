import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  PUBLIC_EVENT_TYPES,
  publicEventJsonSchemas,
} from '../domain/integration/publicEventSchema.ts';

describe('docs/events.md', () => {
  it('carries the JSON Schemas generated from the zod schemas (npx tsx scripts/eventsDoc.ts)', () => {
    const document = readFileSync(new URL('../docs/events.md', import.meta.url), 'utf8');
    const schemas = publicEventJsonSchemas();
    for (const type of PUBLIC_EVENT_TYPES) {
      const heading = document.indexOf(`### \`${type}\``);
      expect(heading, type).to.be.greaterThan(0);
      const start = document.indexOf('```json', heading) + '```json'.length;
      const json = document.slice(start, document.indexOf('```', start));
      expect(JSON.parse(json), type).to.deep.equal(JSON.parse(JSON.stringify(schemas[type])));
    }
  });
});

describe('docs/webhooks.md', () => {
  it('shows the verification snippet the tests use, verbatim', () => {
    const document = readFileSync(new URL('../docs/webhooks.md', import.meta.url), 'utf8');
    const snippet = readFileSync(
      new URL('../infra/webhooks/verifyWebhook.ts', import.meta.url),
      'utf8',
    );
    expect(document).to.include(snippet);
  });
});
