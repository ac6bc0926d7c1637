import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, headers, nanos, type NatsConnection } from '@nats-io/transport-node';
import { concatMap, defer, from, Observable, switchMap } from 'rxjs';
import type { EventCodec } from '../../commands/shared/eventCodec.ts';
import type { Checkpoint, EventStore } from '../../commands/shared/eventStore.ts';
import type { PublicEvent } from '../../domain/integration/publicEventSchema.ts';
import type { PostgresCheckpointStore } from '../eventStore/postgres/checkpointStore.ts';
import {
  createPublicEventMapper,
  PUBLIC_EVENT_SOURCE_FILTER,
} from '../integration/publicEventMapper.ts';
import { runLeasedWork } from '../subscribers/leasedWork.ts';
import type { WebhookMetrics } from '../webhooks/webhookMetrics.ts';

export interface NatsRelayOptions {
  /** NATS_URL: one server URL or a comma-separated list. */
  readonly servers: string;
  /** The `<install>` of the subjects `booking-ledger.<install>.<public type>`. */
  readonly install: string;
  /** JetStream stream; created (subjects `booking-ledger.<install>.>`) when missing. */
  readonly stream: string;
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly checkpoints: PostgresCheckpointStore;
  readonly metrics: WebhookMetrics;
  /** Checkpoint and lease name (default `nats-relay`). */
  readonly name?: string;
  readonly leaseConnectionString?: string;
  readonly leaseScope?: string;
  /** How long one publish waits for JetStream's ack before the relay restarts, ms. Default 5000. */
  readonly publishTimeoutMs?: number;
  /** The stream's de-duplication window (Nats-Msg-Id), ms; used when the relay creates it. Default 2 min. */
  readonly duplicateWindowMs?: number;
  readonly logger?: { warn(details: object, message: string): void } | undefined;
}

export interface RunningRelay {
  stop(): void;
}

export const subjectOf = (install: string, event: PublicEvent): string =>
  `booking-ledger.${install}.${event.type}`;

export const defaultStreamName = (install: string): string =>
  `BOOKING_LEDGER_${install.toUpperCase().replace(/-/g, '_')}`;

/** A connection for as long as the subscriber stays; closed on error or unsubscribe. */
const natsConnection = (servers: string) =>
  new Observable<NatsConnection>((subscriber) => {
    let connection: NatsConnection | undefined;
    let closed = false;
    connect({
      servers: servers.split(',').map((s) => s.trim()),
      name: 'booking-ledger-relay',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    })
      .then((nc) => {
        connection = nc;
        if (closed) return void nc.close();
        subscriber.next(nc);
      })
      .catch((error: unknown) => subscriber.error(error));
    return () => {
      closed = true;
      void connection?.close().catch(() => undefined);
    };
  });

const ensureStream = async (nc: NatsConnection, options: NatsRelayOptions): Promise<void> => {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(options.stream);
  } catch {
    await jsm.streams.add({
      name: options.stream,
      subjects: [`booking-ledger.${options.install}.>`],
      duplicate_window: nanos(options.duplicateWindowMs ?? 120_000),
    });
  }
};

const publish = async (
  js: JetStreamClient,
  options: NatsRelayOptions,
  event: PublicEvent,
): Promise<void> => {
  const h = headers();
  h.set('ce-specversion', '1.0');
  h.set('ce-id', event.id);
  h.set('ce-source', `/booking-ledger/${options.install}`);
  h.set('ce-type', event.type);
  h.set('ce-time', event.occurredAt);
  h.set('ce-subject', event.reservationId);
  h.set('content-type', 'application/json');
  await js.publish(subjectOf(options.install, event), JSON.stringify(event), {
    msgID: event.id,
    headers: h,
    timeout: options.publishTimeoutMs ?? 5_000,
  });
};

/**
 * Relays every public event to a JetStream stream, in log order, from its
 * checkpoint: each message is acknowledged by JetStream before the checkpoint
 * moves, and carries `Nats-Msg-Id` = the event id, so the re-publishing after
 * a crash or an outage is dropped by the stream's de-duplication window.
 * While JetStream is unreachable it waits (restarting with backoff) and then
 * catches up from the checkpoint.
 */
export const startNatsRelay = (options: NatsRelayOptions): RunningRelay => {
  const name = options.name ?? 'nats-relay';
  const checkpointName = `process:${name}`;
  const mapper = createPublicEventMapper(options.store, options.codec);
  const relay = natsConnection(options.servers).pipe(
    switchMap((nc) =>
      defer(async () => {
        await ensureStream(nc, options);
        return options.checkpoints.load(checkpointName);
      }).pipe(
        switchMap((start) => {
          const js = jetstream(nc);
          let last: Checkpoint | undefined = start;
          return options.store
            .subscribe({
              ...(start === undefined ? {} : { from: start }),
              filter: PUBLIC_EVENT_SOURCE_FILTER,
            })
            .pipe(
              concatMap((recorded) =>
                from(
                  (async () => {
                    for (const event of await mapper.map(recorded)) {
                      await publish(js, options, event);
                      options.metrics.relayed(
                        Math.max(0, (Date.now() - Date.parse(event.occurredAt)) / 1000),
                      );
                    }
                    await options.checkpoints.store(checkpointName, last, recorded.checkpoint);
                    last = recorded.checkpoint;
                  })(),
                ),
              ),
            );
        }),
      ),
    ),
  );
  const subscription = runLeasedWork(relay, {
    name,
    leaseConnectionString: options.leaseConnectionString,
    leaseScope: options.leaseScope,
    onFailure: (error) => {
      options.metrics.relayFailed();
      options.logger?.warn({ err: error }, 'NATS relay failed; retrying from its checkpoint');
    },
  });
  return { stop: () => subscription.unsubscribe() };
};
