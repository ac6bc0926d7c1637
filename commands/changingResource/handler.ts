import type { ResourceChanges } from '../../domain/resource/changes.ts';
import type { ResourceWriteAnswer } from '../shared/resourceAdmin.ts';
import type { Caller } from '../shared/writeMetadata.ts';
import { writeOwnedResource } from '../shared/resourceAdmin.ts';
import type { WriteSide } from '../shared/writeSide.ts';

/**
 * Applies partial changes; each changed group becomes its own event and an
 * unchanged request decides nothing. `expectedVersion` (body `version` or
 * If-Match) makes it a compare-and-set.
 */
export const changeResource = (
  writeSide: WriteSide,
  resourceId: string,
  changes: ResourceChanges,
  caller: Caller,
  expectedVersion?: number,
): Promise<ResourceWriteAnswer> =>
  writeOwnedResource(
    writeSide,
    resourceId,
    caller,
    () => ({
      type: 'ChangeResource',
      resourceId,
      changes,
      now: writeSide.clock.now().toISOString(),
    }),
    expectedVersion,
  );
