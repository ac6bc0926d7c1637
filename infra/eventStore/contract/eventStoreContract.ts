import type { EventStore } from '../../../commands/shared/eventStore.ts';
import { appendContract } from './appendContract.ts';
import { idempotencyContract } from './idempotencyContract.ts';
import { propertyContract } from './propertyContract.ts';
import { readContract } from './readContract.ts';
import { streamMetadataContract } from './streamMetadataContract.ts';
import { subscribeContract } from './subscribeContract.ts';
import type { ContractFactory, ContractSubject } from './support.ts';

export type { ContractFactory, ContractSubject } from './support.ts';

export interface ContractOptions {
  /** fast-check runs per property (default 50; lower for slower stores). */
  readonly propertyRuns?: number;
}

/**
 * The one contract every EventStore adapter passes (DESIGN.md "The event
 * store"). The factory runs once for the whole suite; tests isolate themselves
 * with their own category and stream names, never by truncating.
 */
export const describeEventStoreContract = (
  name: string,
  factory: ContractFactory,
  options: ContractOptions = {},
): void => {
  describe(`EventStore contract: ${name}`, function () {
    this.timeout(30_000);
    let subject: ContractSubject | undefined;
    const store = (): EventStore => {
      if (subject === undefined)
        throw new Error('The contract store was not created (see the before hook).');
      return subject.store;
    };

    before(async () => {
      subject = await factory();
    });
    after(async () => {
      await subject?.dispose();
    });

    describe('append with an expected revision', () => appendContract(store));
    describe('idempotency by event id', () => idempotencyContract(store));
    describe('readStream and readAll', () => readContract(store));
    describe('subscribe', () => subscribeContract(store));
    describe('stream metadata', () => streamMetadataContract(store));
    describe('properties', () => propertyContract(store, options.propertyRuns ?? 50));
  });
};
