import { resourceDecider } from '../../domain/resource/resourceDecider.ts';
import type { ResourceConfigInput } from '../../domain/resource/schema.ts';
import { resourceStream } from '../../domain/shared/streams.ts';
import { assertCanAccess } from '../../domain/access/principal.ts';
import { expectedRevisionOf, loadStream, retryOnConflict } from '../shared/commandHandler.ts';
import { toEventsToAppend } from '../shared/eventCodec.ts';
import type { ResourceWriteAnswer } from '../shared/resourceAdmin.ts';
import { lastPositionOf, versionOf } from '../shared/resourceAdmin.ts';
import { metadataFor, type Caller } from '../shared/writeMetadata.ts';
import type { WriteSide } from '../shared/writeSide.ts';

export interface RegisterResourceRequest {
  readonly resourceId: string;
  readonly config: ResourceConfigInput;
}

/**
 * Registers a resource for the vendor named in its config (vendors only for
 * themselves). Registering the same configuration again is a no-op answered
 * with the current version, so a client may retry without an Idempotency-Key.
 */
export const registerResource = (
  writeSide: WriteSide,
  request: RegisterResourceRequest,
  caller: Caller,
): Promise<ResourceWriteAnswer & { readonly created: boolean }> => {
  const { resourceId, config } = request;
  assertCanAccess(caller.principal, { vendorId: config.vendorId }, 'write', 'a resource');
  const stream = resourceStream(resourceId);
  return retryOnConflict(async () => {
    const loaded = await loadStream(writeSide, stream, resourceDecider);
    if (loaded.state.status !== 'Unregistered') {
      assertCanAccess(
        caller.principal,
        { vendorId: loaded.state.config.vendorId },
        'write',
        `resource ${resourceId}`,
      );
    }
    const now = writeSide.clock.now().toISOString();
    const events = resourceDecider.decide(
      { type: 'RegisterResource', resourceId, config, now },
      loaded.state,
    );
    const version = versionOf(loaded.revision);
    const status = loaded.state.status === 'Retired' ? 'Retired' : 'Active';
    if (events.length === 0) {
      const position = await lastPositionOf(writeSide.store, stream);
      return { resourceId, status, version, position, changes: [], created: false };
    }
    const result = await writeSide.store.append([
      {
        stream,
        expectedRevision: expectedRevisionOf(loaded.revision),
        events: toEventsToAppend(writeSide.codec, writeSide.ids, events, metadataFor(caller)),
      },
    ]);
    return {
      resourceId,
      status: 'Active',
      version: version + events.length,
      position: result.position,
      changes: events.map((e) => e.type),
      created: true,
    };
  });
};
