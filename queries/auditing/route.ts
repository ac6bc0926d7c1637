import { z } from 'zod';
import type { RouteModule } from '../../commands/shared/route.ts';
import { defineRoute } from '../../commands/shared/route.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import type { AsOf, AuditLog } from './ports.ts';

const AUDIT_ROLES = ['auditor', 'admin'] as const;
export const MAX_EVENTS_PAGE = 500;
export const MAX_EXPORT_EVENTS = 10_000;

const streamSchema = z
  .string()
  .max(300)
  .regex(
    /^[a-z]+-[A-Za-z0-9._~:-]+$/,
    'Expected a stream name "<category>-<id>", e.g. reservation-r-123 or slot-room-1.2026-12-24.',
  );
const streamParams = z.object({ stream: streamSchema });

const asOfSchema = z
  .string()
  .max(40)
  .optional()
  .transform((value, ctx): AsOf => {
    if (value === undefined) return undefined;
    if (/^\d{1,15}$/.test(value)) return { revision: Number(value) };
    const parsed = z.iso.datetime({ offset: true }).safeParse(value);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message:
          'asOf is a stream revision (e.g. 3) or an ISO instant with an offset (e.g. 2026-12-01T10:00:00Z).',
      });
      return z.NEVER;
    }
    return { instant: new Date(value).toISOString() };
  });

const eventSchema = z.object({
  stream: z.string(),
  revision: z.number(),
  globalPosition: z.string(),
  eventId: z.string(),
  type: z.string(),
  schemaVersion: z.number(),
  recordedAt: z.string(),
  hash: z.string(),
  previousHash: z.string(),
  data: z.unknown(),
  metadata: z.record(z.string(), z.unknown()),
});

const jobSchema = z.object({
  jobId: z.string(),
  stream: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed', 'error', 'abandoned']),
  checked: z.number(),
  result: z.unknown(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const assertStream = async (log: AuditLog, stream: string): Promise<void> => {
  if (!(await log.streamExists(stream))) {
    throw new NotFoundError(`No event was ever stored in stream ${stream}.`, { stream });
  }
};

/** The audit API (DESIGN.md "Audit") for auditors and admins; the export's public key is public. */
export const getAuditRoutes = (log: AuditLog): RouteModule[] => [
  defineRoute({
    method: 'get',
    path: '/api/v1/audit/streams/{stream}/events',
    summary: "A stream's events as stored, with their hash chain",
    description: `Events in revision order from \`fromRevision\` (default 0), at most \`limit\` (default 100, at most ${MAX_EVENTS_PAGE}); \`nextRevision\` continues, null at the end. Each event carries \`hash\` and \`previousHash\`.`,
    tags: ['audit'],
    auth: AUDIT_ROLES,
    params: streamParams,
    query: z.object({
      fromRevision: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      limit: z.coerce.number().int().min(1).max(MAX_EVENTS_PAGE).default(100),
    }),
    responses: {
      200: {
        description: 'A page of events.',
        body: z.object({
          stream: z.string(),
          events: z.array(eventSchema),
          nextRevision: z.number().nullable(),
        }),
      },
      404: { description: 'No event was ever stored in the stream.' },
    },
    handler: async ({ params, query }) => {
      await assertStream(log, params.stream);
      const events = await log.readEvents(params.stream, query.fromRevision, query.limit + 1);
      const page = events.slice(0, query.limit);
      const last = page.at(-1);
      return {
        status: 200,
        body: {
          stream: params.stream,
          events: page,
          nextRevision: events.length > query.limit && last ? last.revision + 1 : null,
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/audit/streams/{stream}/state',
    summary: "A stream's state as of a revision or an instant",
    description:
      "Folds the events up to `asOf` (a revision, or an ISO instant compared with each event's recordedAt; default: all) through the same upcasters and deciders as the write side.",
    tags: ['audit'],
    auth: AUDIT_ROLES,
    params: streamParams,
    query: z.object({ asOf: asOfSchema }),
    responses: {
      200: {
        description: 'The state then, the last revision folded and how many events.',
        body: z.object({
          stream: z.string(),
          state: z.unknown(),
          revision: z.number().nullable(),
          events: z.number(),
        }),
      },
      404: { description: 'No event was ever stored in the stream.' },
    },
    handler: async ({ params, query }) => {
      await assertStream(log, params.stream);
      const result = await log.stateAsOf(params.stream, query.asOf);
      return {
        status: 200,
        body: { stream: params.stream, ...result, revision: result.revision ?? null },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/v1/audit/verify',
    summary: 'Verify the hash chain of the whole log or one stream (a job)',
    description:
      'Starts a verification and answers 202 with the job; poll `GET /api/v1/audit/verify/{jobId}`. One job runs at a time: while one runs, this answers that job.',
    tags: ['audit'],
    auth: AUDIT_ROLES,
    body: z.object({ stream: streamSchema.optional() }),
    idempotent: true,
    responses: { 202: { description: 'The job.', body: jobSchema } },
    handler: async ({ body, principal }) => {
      if (body.stream !== undefined) await assertStream(log, body.stream);
      const job = await log.startVerify(body.stream, principal.id);
      return {
        status: 202,
        body: job,
        headers: { location: `/api/v1/audit/verify/${job.jobId}` },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/audit/verify/{jobId}',
    summary: 'A verification job: progress and result',
    tags: ['audit'],
    auth: AUDIT_ROLES,
    params: z.object({ jobId: z.uuid('jobId is the UUID POST /api/v1/audit/verify answered.') }),
    responses: {
      200: { description: 'The job.', body: jobSchema },
      404: { description: 'No such job.' },
    },
    handler: async ({ params }) => {
      const job = await log.verifyJob(params.jobId);
      if (job === undefined) throw new NotFoundError(`No verification job ${params.jobId}.`);
      return { status: 200, body: job };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/audit/export',
    summary: 'A signed export of a range of the log (JSON lines)',
    description: `Events from global position \`fromPosition\` (default 0), at most \`limit\` (default 1000, at most ${MAX_EXPORT_EVENTS}), one JSON object per line, then a signed manifest line; \`nextPosition\` in the manifest continues. docs/audit.md gives the procedure to verify it without this software.`,
    tags: ['audit'],
    auth: AUDIT_ROLES,
    query: z.object({
      fromPosition: z
        .string()
        .regex(/^\d{1,18}$/, 'fromPosition is a global position (digits).')
        .default('0'),
      limit: z.coerce.number().int().min(1).max(MAX_EXPORT_EVENTS).default(1000),
    }),
    responses: { 200: { description: 'application/x-ndjson: events, then the manifest line.' } },
    handler: ({ query }) =>
      Promise.resolve({
        status: 200,
        headers: {
          'content-type': 'application/x-ndjson; charset=utf-8',
          'content-disposition': `attachment; filename="audit-export-${query.fromPosition}.jsonl"`,
        },
        stream: log.exportRange(BigInt(query.fromPosition), query.limit),
      }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/audit/public-key',
    summary: 'The Ed25519 public key that signs audit exports',
    tags: ['audit'],
    auth: 'public',
    responses: {
      200: {
        description: 'SPKI PEM and the key id exports name.',
        body: z.object({
          algorithm: z.literal('Ed25519'),
          keyId: z.string(),
          publicKeyPem: z.string(),
        }),
      },
    },
    handler: () => {
      const key = log.publicKey();
      return Promise.resolve({
        status: 200,
        body: { algorithm: 'Ed25519', keyId: key.keyId, publicKeyPem: key.pem },
      });
    },
  }),
];
