import type { EventCodec } from '../../commands/shared/eventCodec.ts';
import type { EventStore } from '../../commands/shared/eventStore.ts';
import type { GuestDirectory } from '../../commands/shared/guestDirectory.ts';
import type { PersonalDataVault } from '../../commands/shared/personalDataVault.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../observability/logger.ts';
import { createPersonalDataStore } from '../pii/personalDataStore.ts';
import { loadPiiMasterKey } from '../pii/masterKey.ts';
import type { Queryable } from '../postgres/pool.ts';

/** The PII store's parts for every role: the vault (write side) and the directory (reads, notifier). */
export interface PersonalDataParts {
  readonly vault: PersonalDataVault;
  readonly directory: GuestDirectory;
}

/**
 * Builds the PII store from PII_MASTER_KEY (or the key generated into
 * PII_MASTER_KEY_FILE). A generated key outside the embedded default is
 * warned about: every process of an install must share one master key.
 */
export const createPersonalDataParts = async (deps: {
  readonly config: Pick<Config, 'PII_MASTER_KEY' | 'PII_MASTER_KEY_FILE'>;
  readonly db: Queryable;
  readonly store: Pick<EventStore, 'readStream'>;
  readonly codec: EventCodec;
  readonly embedded: boolean;
  readonly logger: Logger;
}): Promise<PersonalDataParts> => {
  if (deps.config.PII_MASTER_KEY === undefined && !deps.embedded) {
    deps.logger.warn(
      { file: deps.config.PII_MASTER_KEY_FILE },
      'PII_MASTER_KEY is not set: guest personal data is wrapped by a key kept in a local file; set PII_MASTER_KEY on every process of this install',
    );
  }
  const masterKey = await loadPiiMasterKey({
    value: deps.config.PII_MASTER_KEY,
    file: deps.config.PII_MASTER_KEY_FILE,
  });
  const { vault, directory } = createPersonalDataStore({
    db: deps.db,
    masterKey,
    store: deps.store,
    codec: deps.codec,
  });
  return { vault, directory };
};
