/**
 * Regenerates the JSON Schema section of docs/events.md from the zod schemas
 * (domain/integration/publicEventSchema.ts): `npx tsx scripts/eventsDoc.ts`.
 * eventsDoc.unit.spec.ts fails when the document is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderSchemaSection, replaceSchemaSection } from './eventsDocSection.ts';

const file = fileURLToPath(new URL('../docs/events.md', import.meta.url));
const current = await readFile(file, 'utf8');
await writeFile(file, replaceSchemaSection(current, renderSchemaSection()));
process.stdout.write(`wrote ${file}\n`);
