import { analyticsProjection } from './analytics/project.ts';
import { availabilityProjection } from './availability/project.ts';
import { availabilityRedisProjection } from './availability/redisChanges.ts';
import { bookingsProjection } from './bookings/project.ts';
import { ledgerProjection } from './ledger/project.ts';
import { pricesProjection } from './prices/project.ts';
import { resourcesProjection } from './resources/project.ts';
import type { PostgresProjection, RedisProjection } from './shared/projection.ts';

/** Every read model the projector role runs; the composition root passes these to the runner. */
export const POSTGRES_PROJECTIONS: readonly PostgresProjection[] = [
  availabilityProjection,
  resourcesProjection,
  bookingsProjection,
  pricesProjection,
  ledgerProjection,
  analyticsProjection,
];

export const REDIS_PROJECTIONS: readonly RedisProjection[] = [availabilityRedisProjection];

export const findPostgresProjection = (name: string): PostgresProjection | undefined =>
  POSTGRES_PROJECTIONS.find((projection) => projection.name === name);
