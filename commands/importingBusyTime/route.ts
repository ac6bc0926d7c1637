import { z } from 'zod';
import { MAX_BLOCKS_PER_IMPORT } from '../../domain/calendar/decide.ts';
import { sourceStatusSchema } from '../../domain/calendar/events.ts';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import { resourceIdParams } from '../shared/resourceAdmin.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import { importBusyTime } from './handler.ts';

const instant = z.iso.datetime({ offset: true });
const source = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, 'Expected 1–200 visible ASCII characters, e.g. "google:primary".');

const jsonBody = z.strictObject({
  /** Names the calendar; an import replaces everything this source sent before. */
  source,
  blocks: z
    .array(
      z.strictObject({
        start: instant,
        end: instant,
        status: z.enum(['busy', 'tentative']).default('busy'),
      }),
    )
    .max(MAX_BLOCKS_PER_IMPORT),
  sourceStatus: sourceStatusSchema.optional(),
});

const answerSchema = z.object({
  resourceId: z.string(),
  source: z.string(),
  blocks: z.number().int(),
  tentative: z.number().int(),
  version: z.number().int(),
  position: z.string(),
});

export const getImportBusyTimeRoute = (writeSide: WriteSide): RouteModule =>
  defineRoute({
    method: 'post',
    path: '/api/v1/resources/{id}/busy-time',
    summary: 'Import calendar busy time (JSON blocks or an iCalendar upload)',
    description:
      'JSON: {source, blocks:[{start, end, status}]}. Or Content-Type: text/calendar with an ICS document (source from ?source=, default "ics-upload"): VEVENTs with TZID, all-day dates, RRULE expanded within the booking horizon, TRANSP:TRANSPARENT and cancelled events skipped, STATUS:TENTATIVE as tentative. Each import replaces the source’s blocks.',
    tags: ['resources'],
    auth: ['vendor', 'admin'],
    params: resourceIdParams,
    query: z.object({ source: source.optional() }),
    body: z.union([jsonBody, z.string().min(1)]),
    rawBody: 'text/calendar',
    idempotent: true,
    responses: {
      200: {
        description: 'Imported; the source’s earlier blocks are replaced',
        body: answerSchema,
      },
      403: { description: 'Not the caller’s resource' },
      404: { description: 'Unknown resource' },
      409: { description: 'The resource is retired' },
    },
    handler: async ({ params, query, body, principal, requestId, idempotencyKey }) => {
      const upload =
        typeof body === 'string'
          ? { kind: 'ics' as const, source: query.source ?? 'ics-upload', text: body }
          : { kind: 'json' as const, ...body };
      return {
        status: 200,
        body: await importBusyTime(writeSide, params.id, upload, {
          principal,
          requestId,
          idempotencyKey,
        }),
      };
    },
  });
