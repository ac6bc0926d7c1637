import type { z } from 'zod';
import { canonicalJson } from '../shared/canonicalJson.ts';
import { IllegalStateError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { assertStreamId } from '../shared/streams.ts';
import { toEpochMillis, toIsoInstant } from '../shared/time.ts';
import type { ResourceChangeEventType } from './changes.ts';
import {
  RESOURCE_CHANGE_EVENT_TYPES,
  resourceChangeGroups,
  resourceChangesSchema,
} from './changes.ts';
import type { ResourceCommand } from './commands.ts';
import { assertConfiguredAmounts } from './moneyInputs.ts';
import type { ResourceChangedEvent, ResourceEvent } from './events.ts';
import type { ResourceConfig } from './schema.ts';
import { resourceConfigSchema } from './schema.ts';
import type { ResourceState } from './state.ts';

const parseOrThrow = <S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> => {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ValidationError(`The ${what} is invalid: ${issues.join('; ')}.`, { issues });
  }
  return result.data;
};

/** Rules that span fields, which the shape alone cannot say. */
const assertConsistent = (config: ResourceConfig): void => {
  const problems: string[] = [];
  if (config.pricingRules.currency !== config.currency) {
    problems.push(
      `pricingRules.currency ${config.pricingRules.currency} must equal the resource currency ${config.currency}`,
    );
  }
  if (config.vendorDeposit && config.vendorDeposit.currency !== config.currency) {
    problems.push(
      `vendorDeposit is in ${config.vendorDeposit.currency} but the resource sells in ${config.currency}`,
    );
  }
  if (config.vendorDeposit && config.vendorDeposit.amount <= 0)
    problems.push('vendorDeposit must be positive, or null for none');
  if (config.kind === 'nightly' && config.slotMinutes !== 1440)
    problems.push('a nightly resource has slotMinutes 1440');
  if (problems.length > 0)
    throw new ValidationError(
      `The resource configuration is inconsistent: ${problems.join('; ')}.`,
      { problems },
    );
};

const changedEvents = (
  resourceId: string,
  before: ResourceConfig,
  after: ResourceConfig,
  changedAt: string,
): ResourceChangedEvent[] =>
  RESOURCE_CHANGE_EVENT_TYPES.flatMap((type: ResourceChangeEventType) => {
    const fields = Object.keys(resourceChangeGroups[type]) as (keyof ResourceConfig)[];
    const pick = (c: ResourceConfig) => Object.fromEntries(fields.map((f) => [f, c[f]]));
    if (canonicalJson(pick(before)) === canonicalJson(pick(after))) return [];
    // The data shape per type is guaranteed by resourceChangeGroups, which the event schemas are built from.
    return [{ type, data: { resourceId, ...pick(after), changedAt } } as ResourceChangedEvent];
  });

export const decideResource = (command: ResourceCommand, state: ResourceState): ResourceEvent[] => {
  const at = toIsoInstant(toEpochMillis(command.now));
  assertStreamId(command.resourceId, 'resourceId');
  if (state.status !== 'Unregistered' && state.resourceId !== command.resourceId) {
    throw new ValidationError(
      `This command targets resource ${command.resourceId} but was sent to ${state.resourceId}.`,
    );
  }
  switch (command.type) {
    case 'RegisterResource': {
      const config = parseOrThrow(resourceConfigSchema, command.config, 'resource configuration');
      assertConsistent(config);
      assertConfiguredAmounts(config);
      if (state.status === 'Unregistered') {
        return [
          {
            type: 'ResourceRegistered',
            data: { resourceId: command.resourceId, ...config, registeredAt: at },
          },
        ];
      }
      if (state.status === 'Active' && canonicalJson(state.config) === canonicalJson(config))
        return [];
      throw new IllegalStateError(
        `Resource ${command.resourceId} is already registered (${state.status}); change it with ChangeResource.`,
        { resourceId: command.resourceId },
        'ALREADY_REGISTERED',
      );
    }
    case 'ChangeResource': {
      if (state.status === 'Unregistered')
        throw new NotFoundError(
          `Resource ${command.resourceId} does not exist; register it first.`,
        );
      if (state.status === 'Retired') {
        throw new IllegalStateError(
          `Resource ${command.resourceId} was retired at ${state.retiredAt} and can no longer change.`,
          {},
          'RESOURCE_RETIRED',
        );
      }
      const changes = parseOrThrow(resourceChangesSchema, command.changes, 'resource change');
      const after = { ...state.config, ...changes } as ResourceConfig;
      assertConsistent(after);
      assertConfiguredAmounts(changes as Partial<ResourceConfig>);
      return changedEvents(command.resourceId, state.config, after, at);
    }
    case 'RetireResource': {
      if (state.status === 'Unregistered')
        throw new NotFoundError(`Resource ${command.resourceId} does not exist.`);
      if (state.status === 'Retired') return [];
      if (command.reason.trim() === '')
        throw new ValidationError('A reason is required to retire a resource.');
      return [
        {
          type: 'ResourceRetired',
          data: { resourceId: command.resourceId, reason: command.reason, retiredAt: at },
        },
      ];
    }
    default: {
      const _never: never = command;
      throw new ValidationError(`Unknown resource command ${JSON.stringify(_never)}.`);
    }
  }
};
