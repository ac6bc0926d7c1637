import { z } from 'zod';
import { defineRoute, type RouteModule } from '../shared/route.ts';
import { resourceIdParams } from '../shared/resourceAdmin.ts';
import type { WriteSide } from '../shared/writeSide.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { applyToSlots, type CommandFor } from './handler.ts';
import { slotRangeShape, type SlotRange } from './slotRange.ts';

const answerSchema = z.object({
  resourceId: z.string(),
  version: z.number().int(),
  position: z.string(),
  changed: z.number().int(),
  slots: z.array(
    z.object({
      slotKey: z.string(),
      version: z.number().int(),
      status: z.enum(['Open', 'Closed']),
      capacity: z.number().int(),
    }),
  ),
});

const responses = {
  200: { description: 'Applied to every slot of the range', body: answerSchema },
  403: { description: 'Not the caller’s resource' },
  404: { description: 'Unknown resource' },
  409: { description: 'Retired resource, or a capacity below what is held and booked' },
} as const;

const RANGE_DOC =
  'Name the slots with `slotKeys` (`2026-12-24` nights, `2026-12-24T09:00` timed) or `dates` {from, to} (inclusive; timed resources: every slot of the opening hours, optionally within `times`). At most 400 slots; all or nothing.';

const base = (action: 'close' | 'open' | 'capacity', summary: string) =>
  ({
    method: 'post',
    path: `/api/v1/resources/{id}/slots/${action}`,
    summary,
    description: RANGE_DOC,
    tags: ['resources'],
    auth: ['vendor', 'admin'],
    params: resourceIdParams,
    idempotent: true,
    responses,
  }) as const;

type Context = {
  readonly params: { readonly id: string };
  readonly principal: Principal;
  readonly requestId: string;
  readonly idempotencyKey: string | undefined;
};

const run = async (
  writeSide: WriteSide,
  context: Context,
  range: SlotRange,
  commandFor: CommandFor,
) => ({
  status: 200,
  body: await applyToSlots(writeSide, context.params.id, context, range, commandFor),
});

export const getManageSlotsRoutes = (writeSide: WriteSide): RouteModule[] => [
  defineRoute({
    ...base('close', 'Close slots (no new holds; existing holds and bookings stay)'),
    body: z.object({ ...slotRangeShape, reason: z.string().trim().min(1).max(500) }),
    handler: (context) =>
      run(writeSide, context, context.body, (target, now) => ({
        type: 'CloseSlot',
        ...target,
        reason: context.body.reason,
        now,
      })),
  }),
  defineRoute({
    ...base('open', 'Reopen closed slots'),
    body: z.object(slotRangeShape),
    handler: (context) =>
      run(writeSide, context, context.body, (target, now) => ({
        type: 'OpenSlot',
        ...target,
        now,
      })),
  }),
  defineRoute({
    ...base('capacity', 'Override the capacity of slots'),
    body: z.object({ ...slotRangeShape, capacity: z.number().int().min(0).max(100_000) }),
    handler: (context) =>
      run(writeSide, context, context.body, (target, now) => ({
        type: 'OverrideCapacity',
        ...target,
        capacity: context.body.capacity,
        now,
      })),
  }),
];
