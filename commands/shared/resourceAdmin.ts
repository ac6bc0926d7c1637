import { z } from 'zod';
import type { ResourceCommand } from '../../domain/resource/commands.ts';
import type { ResourceEvent } from '../../domain/resource/events.ts';
import { resourceDecider } from '../../domain/resource/resourceDecider.ts';
import type { ResourceConfig } from '../../domain/resource/schema.ts';
import type { ResourceState } from '../../domain/resource/state.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/shared/errors.ts';
import { resourceStream } from '../../domain/shared/streams.ts';
import type { Principal } from '../../domain/access/principal.ts';
import { assertCanAccess } from '../../domain/access/principal.ts';
import { expectedRevisionOf, loadStream, retryOnConflict } from './commandHandler.ts';
import { toEventsToAppend } from './eventCodec.ts';
import type { Checkpoint, EventStore } from './eventStore.ts';
import { metadataFor, type Caller } from './writeMetadata.ts';
import type { WriteSide } from './writeSide.ts';

/**
 * What the resource-admin slices (register, change, retire, slots, busy time)
 * share: who may touch a resource, the version a client sees, and the answer
 * every write gives (`version` + `position`).
 */
export const resourceIdParams = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'Expected 1–128 letters, digits, "_" or "-".'),
});

/** A stream's version is its number of events; 0 before the first. */
export const versionOf = (revision: number | undefined): number =>
  revision === undefined ? 0 : revision + 1;

/** The log position of a stream's last event: what a write that decided nothing has "reached". */
export const lastPositionOf = async (store: EventStore, stream: string): Promise<Checkpoint> => {
  const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
  return last?.checkpoint ?? (await store.headPosition()) ?? '';
};

export type RegisteredResource = Exclude<ResourceState, { status: 'Unregistered' }>;

export interface LoadedResource {
  readonly state: RegisteredResource;
  readonly revision: number | undefined;
}

/** 404 for a resource never registered, 403 when the caller may not change it. */
export const assertOwnedResource = (
  resourceId: string,
  state: ResourceState,
  principal: Principal,
): RegisteredResource => {
  if (state.status === 'Unregistered') {
    throw new NotFoundError(
      `Resource ${resourceId} does not exist; register it first or check the id.`,
      { resourceId },
      'RESOURCE_NOT_FOUND',
    );
  }
  assertCanAccess(
    principal,
    { vendorId: state.config.vendorId },
    'write',
    `resource ${resourceId}`,
  );
  return state;
};

export const loadOwnedResource = async (
  writeSide: WriteSide,
  resourceId: string,
  principal: Principal,
): Promise<LoadedResource> => {
  const loaded = await loadStream(writeSide, resourceStream(resourceId), resourceDecider);
  return {
    state: assertOwnedResource(resourceId, loaded.state, principal),
    revision: loaded.revision,
  };
};

/** Refuses changes to a retired resource (409) and returns its configuration otherwise. */
export const assertNotRetired = (resourceId: string, state: RegisteredResource): ResourceConfig => {
  if (state.status === 'Retired') {
    throw new ConflictError(
      'RESOURCE_RETIRED',
      `Resource ${resourceId} was retired at ${state.retiredAt} and can no longer change.`,
      { resourceId, retiredAt: state.retiredAt },
    );
  }
  return state.config;
};

/** `version` from the body or `If-Match` (`"3"`, `W/"3"` or `3`); both given must agree. */
export const expectedVersionOf = (
  bodyVersion: number | undefined,
  ifMatch: string | undefined,
): number | undefined => {
  let header: number | undefined;
  if (ifMatch !== undefined) {
    const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
    if (!match?.[1]) {
      throw new ValidationError(
        `If-Match must carry the resource version you read, e.g. If-Match: "3" (got ${JSON.stringify(ifMatch.slice(0, 40))}).`,
      );
    }
    header = Number(match[1]);
  }
  if (header !== undefined && bodyVersion !== undefined && header !== bodyVersion) {
    throw new ValidationError(
      `The body says version ${bodyVersion} but If-Match says ${header}; send one, or the same in both.`,
    );
  }
  return bodyVersion ?? header;
};

export interface ResourceWriteAnswer {
  readonly resourceId: string;
  readonly status: 'Active' | 'Retired';
  readonly version: number;
  readonly position: Checkpoint;
  /** Event types appended; empty when the request changed nothing. */
  readonly changes: readonly ResourceEvent['type'][];
}

/**
 * load → access check → optional version check → decide → append, retried
 * on a lost race unless the caller pinned a version (then the race is theirs
 * to see: 409 VERSION_MISMATCH).
 */
export const writeOwnedResource = (
  writeSide: WriteSide,
  resourceId: string,
  caller: Caller,
  commandOf: (state: RegisteredResource) => ResourceCommand,
  expectedVersion?: number,
): Promise<ResourceWriteAnswer> => {
  const stream = resourceStream(resourceId);
  return retryOnConflict(
    async () => {
      const { state, revision } = await loadOwnedResource(writeSide, resourceId, caller.principal);
      const version = versionOf(revision);
      if (expectedVersion !== undefined && expectedVersion !== version) {
        throw new ConflictError(
          'VERSION_MISMATCH',
          `Resource ${resourceId} is at version ${version}, but the request expected version ${expectedVersion}; reload it and retry.`,
          { resourceId, expectedVersion, actualVersion: version },
        );
      }
      const events = resourceDecider.decide(commandOf(state), state);
      const after = events.reduce<ResourceState>((s, e) => resourceDecider.evolve(s, e), state);
      const status = after.status === 'Retired' ? 'Retired' : 'Active';
      if (events.length === 0) {
        const position = await lastPositionOf(writeSide.store, stream);
        return { resourceId, status, version, position, changes: [] };
      }
      const result = await writeSide.store.append([
        {
          stream,
          expectedRevision: expectedRevisionOf(revision),
          events: toEventsToAppend(writeSide.codec, writeSide.ids, events, metadataFor(caller)),
        },
      ]);
      return {
        resourceId,
        status,
        version: version + events.length,
        position: result.position,
        changes: events.map((e) => e.type),
      };
    },
    expectedVersion === undefined ? 5 : 1,
  );
};

/** The documented answer of every resource write. */
export const resourceWriteAnswerSchema = z.object({
  resourceId: z.string(),
  status: z.enum(['Active', 'Retired']),
  version: z.number().int(),
  position: z.string(),
  changes: z.array(z.string()),
});
