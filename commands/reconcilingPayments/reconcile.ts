import {
  reconcile,
  type Finding,
  type ProviderAuthorization,
  type Repair,
} from '../../domain/payment/reconciliation.ts';
import { createSagaDecider, sagaDecider } from '../../domain/payment/sagaDecider.ts';
import type { PaymentSagaOptions } from '../../domain/payment/sagaDecide.ts';
import type { RunningSaga } from '../../domain/payment/sagaState.ts';
import { paymentStream } from '../../domain/shared/streams.ts';
import { handleCommand, loadStream, type WriteDeps } from '../shared/commandHandler.ts';
import type { Clock } from '../shared/ports.ts';
import {
  PaymentInvalidRequestError,
  type PaymentGateway,
  type ProviderPayment,
} from '../payments/paymentGateway.ts';
import type {
  ReconciliationRun,
  ReconciliationStore,
  ReconciliationTarget,
  ReconciliationTrigger,
  RecordedFinding,
} from './ports.ts';

export interface ReconciliationDeps {
  readonly write: WriteDeps;
  readonly gateway: PaymentGateway;
  readonly clock: Clock;
  readonly options: PaymentSagaOptions;
  readonly store: ReconciliationStore;
  /** Bookings compared per run (default 200): the run's cost is bounded whatever the backlog. */
  readonly batch?: number;
  /** Each repair made and each difference left for an operator (metric, log line). */
  readonly report?: (reservationId: string, finding: RecordedFinding) => void;
  /** Fault injection: runs right after a repair was appended (the crash test kills the process here). */
  readonly afterRepair?: (reservationId: string, repair: Repair) => void;
}

/** A finished run and every repair and difference it recorded. */
export interface ReconciliationOutcome {
  readonly run: ReconciliationRun;
  readonly findings: readonly RecordedFinding[];
}

const DISCOVERY_PAGE = 500;
const DISCOVERY_PAGES_PER_RUN = 20;

/** Adds the bookings whose saga started since the last run to the watch list. */
const discover = async (deps: ReconciliationDeps): Promise<void> => {
  for (let page = 0; page < DISCOVERY_PAGES_PER_RUN; page += 1) {
    const from = await deps.store.cursor();
    const events = await deps.write.store.readAll({
      ...(from === undefined ? {} : { from }),
      maxCount: DISCOVERY_PAGE,
      filter: { categories: ['payment'], eventTypes: ['PaymentSagaStarted'] },
    });
    const last = events.at(-1);
    if (!last) return;
    const targets = events.map((event) => {
      const data = event.data as { reservationId: string; bookingReference: string };
      return { reservationId: data.reservationId, bookingReference: data.bookingReference };
    });
    await deps.store.watch(targets, last.checkpoint);
    if (events.length < DISCOVERY_PAGE) return;
  }
};

/** The authorizations the log names: each party's, and the settlement's second PaymentIntents. */
const authorizationIds = (saga: RunningSaga): string[] =>
  [
    ...new Set([
      ...(['vendor-auth', 'requester-auth'] as const).flatMap((step) => {
        const state = saga.steps[step];
        return state?.status === 'succeeded' ? [state.providerId] : [];
      }),
      ...saga.settlement.charges.map((c) => c.authorizationId),
    ]),
  ].filter((id) => !id.startsWith('zero-amount:'));

const retrieveKnown = async (
  gateway: PaymentGateway,
  id: string,
): Promise<ProviderPayment | undefined> => {
  try {
    return await gateway.retrievePayment(id);
  } catch (error) {
    if (error instanceof PaymentInvalidRequestError && error.reason === 'not_found')
      return undefined;
    throw error;
  }
};

/** The provider's books for one booking: the log's authorizations retrieved, others listed by metadata. */
const readProvider = async (deps: ReconciliationDeps, saga: RunningSaga) => {
  const known = authorizationIds(saga);
  const listed = await deps.gateway.listPayments({
    reservationId: saga.reservationId,
    transferGroup: saga.bookingReference,
  });
  const retrieved = (await Promise.all(known.map((id) => retrieveKnown(deps.gateway, id)))).filter(
    (p): p is ProviderPayment => p !== undefined,
  );
  const others = listed.payments.filter((p) => !known.includes(p.authorizationId));
  const authorizations: ProviderAuthorization[] = [...retrieved, ...others];
  return { authorizations, transfers: listed.transfers };
};

const quiet = (saga: RunningSaga): boolean =>
  !Object.values(saga.steps).some((s) => s?.status === 'pending') &&
  (saga.steps.payout?.status === 'succeeded' || saga.commit === 'failed');

const applyRepair = async (
  deps: ReconciliationDeps,
  reservationId: string,
  repair: Repair,
): Promise<boolean> => {
  const outcome = await handleCommand(
    deps.write,
    paymentStream(reservationId),
    createSagaDecider(deps.options),
    {
      type: 'StepCompleted',
      reservationId,
      step: repair.step,
      attempt: repair.attempt,
      outcome: { kind: 'succeeded', providerId: repair.providerId },
      now: deps.clock.now().toISOString(),
      jitter: 0.5,
    },
    { correlationId: reservationId, actor: { principal: 'reconciliation', role: 'admin' } },
  );
  // Nothing appended: the saga recorded the step meanwhile (or an earlier run repaired it).
  if (outcome.events.length === 0) return false;
  deps.afterRepair?.(reservationId, repair);
  return true;
};

const toRecorded = (
  reservationId: string,
  at: string,
  item: { finding: Finding } | { repair: Repair },
): RecordedFinding =>
  'repair' in item
    ? {
        reservationId,
        kind: `repaired_${item.repair.step}`,
        repaired: true,
        detail: { ...item.repair },
        foundAt: at,
      }
    : {
        reservationId,
        kind: item.finding.kind,
        repaired: false,
        detail: { ...item.finding },
        foundAt: at,
      };

/** Compares one booking; repairs what is safe; answers what it recorded. */
const checkOne = async (
  deps: ReconciliationDeps,
  runId: string,
  target: ReconciliationTarget,
): Promise<RecordedFinding[]> => {
  const at = deps.clock.now().toISOString();
  const loaded = await loadStream(deps.write, paymentStream(target.reservationId), sagaDecider);
  const saga = loaded.state;
  if (saga.status === 'NONE') {
    await deps.store.recordCheck(runId, target.reservationId, [], true, at);
    return [];
  }
  const result = reconcile(saga, await readProvider(deps, saga));
  const recorded: RecordedFinding[] = [];
  for (const repair of result.repairs) {
    if (await applyRepair(deps, target.reservationId, repair))
      recorded.push(toRecorded(target.reservationId, at, { repair }));
  }
  for (const finding of result.findings)
    recorded.push(toRecorded(target.reservationId, at, { finding }));
  const settled = result.repairs.length === 0 && result.findings.length === 0 && quiet(saga);
  await deps.store.recordCheck(runId, target.reservationId, recorded, settled, at);
  for (const finding of recorded) deps.report?.(target.reservationId, finding);
  return recorded;
};

/**
 * One reconciliation run (seed 004 "Reconciliation Job"): discover new
 * bookings from the log, compare each due one with the provider, append what
 * the provider did and the log missed (through the saga's own decider, so a
 * repair is made once however often it is attempted), and record the rest.
 * The caller holds the run's lease.
 */
export const runReconciliation = async (
  deps: ReconciliationDeps,
  trigger: ReconciliationTrigger,
  reservationIds?: readonly string[],
): Promise<ReconciliationOutcome> => {
  await discover(deps);
  const runId = await deps.store.beginRun(trigger, deps.clock.now().toISOString());
  const targets =
    reservationIds === undefined
      ? await deps.store.due(deps.batch ?? 200)
      : await deps.store.named(reservationIds);
  const findings: RecordedFinding[] = [];
  for (const target of targets) findings.push(...(await checkOne(deps, runId, target)));
  return { run: await deps.store.finishRun(runId, deps.clock.now().toISOString()), findings };
};
