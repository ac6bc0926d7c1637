import { api } from './api.ts';
import { dateTime, money, num, t, type Venue } from './i18n.ts';
import { isMissing, Section, Show, useLoad } from './shared.tsx';
import { venueOf, type Resource } from './vendor.tsx';

type Money = { amount: number; currency: string };

interface Factor {
  readonly name: string;
  readonly input: string | number;
  readonly value: number;
  readonly unit: 'basisPoints' | 'minorUnits' | 'count';
}

interface Detail {
  readonly reservationId: string;
  readonly bookingReference: string;
  readonly state: string;
  readonly resourceId: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly quote: {
    lines: {
      id: string;
      kind: string;
      component: string;
      date: string;
      appliesTo?: string;
      amount: Money;
      factors: Factor[];
    }[];
    subtotal: Money;
    fees: Money;
    taxes: Money;
    total: Money;
    ruleVersion: string;
    taxTableVersion: string;
  };
  readonly stateHistory: {
    event: string;
    fromState: string | null;
    toState: string;
    at: string;
    by?: string;
    reason?: string;
  }[];
  readonly paymentSummary: Record<string, unknown> | null;
  readonly paymentState: {
    status: string;
    steps: Record<
      string,
      { status: string; attempt: number; amount: Money | null; reason?: string }
    >;
  } | null;
}

interface StreamEvent {
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly hash: string;
}

const factorText = (venue: Venue, f: Factor, currency: string): string => {
  const value =
    f.unit === 'basisPoints'
      ? `${num(venue, f.value / 100)}%`
      : f.unit === 'minorUnits'
        ? money(venue, { amount: f.value, currency })
        : num(venue, f.value);
  return `${f.name} (${String(f.input)}): ${value}`;
};

const Timeline = (props: { detail: Detail; venue: Venue }) => (
  <Section id="timeline" title={t('timeline')}>
    <ol class="timeline" data-testid="timeline">
      {props.detail.stateHistory.map((h, i) => (
        <li key={i}>
          <strong>{h.toState}</strong> · <time dateTime={h.at}>{dateTime(props.venue, h.at)}</time>{' '}
          ·{' '}
          <span>
            {h.event}
            {h.by ? ` (${h.by})` : ''}
            {h.reason ? ` — ${h.reason}` : ''}
          </span>
        </li>
      ))}
    </ol>
  </Section>
);

const QuoteTable = (props: { detail: Detail; venue: Venue }) => {
  const { quote } = props.detail;
  const v = props.venue;
  return (
    <Section id="quote" title={t('quote')}>
      <table data-testid="quote">
        <thead>
          <tr>
            <th scope="col">{t('line')}</th>
            <th scope="col">{t('factors')}</th>
            <th scope="col" class="num">
              {t('amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {quote.lines.map((l) => (
            <tr key={l.id} class={l.kind}>
              <th scope="row">
                {l.component} · {l.date}
                {l.appliesTo ? <small> ({l.appliesTo})</small> : null}
              </th>
              <td>
                <ul class="factors">
                  {l.factors.map((f, i) => (
                    <li key={i}>{factorText(v, f, l.amount.currency)}</li>
                  ))}
                </ul>
              </td>
              <td class="num">{money(v, l.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {(['subtotal', 'fees', 'taxes', 'total'] as const).map((k) => (
            <tr key={k}>
              <th scope="row" colSpan={2}>
                {t(k)}
              </th>
              <td class="num">{money(v, quote[k])}</td>
            </tr>
          ))}
        </tfoot>
      </table>
    </Section>
  );
};

const Payment = (props: { detail: Detail; venue: Venue }) => {
  const v = props.venue;
  const [ledger] = useLoad(
    () =>
      api<{
        entries: {
          entryId: string;
          kind: string;
          at: string;
          currency: string;
          postings: { account: string; amount: number }[];
        }[];
      }>(
        'GET',
        `/api/v1/reports/ledger?reservationId=${encodeURIComponent(props.detail.reservationId)}`,
      ).then((a) => a.body.entries),
    props.detail.reservationId,
  );
  const summary = props.detail.paymentSummary ?? {};
  const steps = Object.entries(props.detail.paymentState?.steps ?? {});
  return (
    <Section id="payment" title={t('payment')}>
      <p data-testid="payment-status">
        {t('status')}: {props.detail.paymentState?.status ?? t('none')}
      </p>
      <dl class="summary">
        {Object.entries(summary).map(([k, value]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>
              {value && typeof value === 'object' && 'amount' in value
                ? money(v, value as Money)
                : String(value)}
            </dd>
          </div>
        ))}
      </dl>
      {steps.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('step')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('amount')}</th>
              <th scope="col">{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {steps.map(([name, s]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>
                  {s.status} #{s.attempt}
                </td>
                <td>{money(v, s.amount)}</td>
                <td>{s.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('ledger')}</h3>
      {ledger.status === 'error' && isMissing(ledger.error) ? (
        <p>{t('notAllowed')}</p>
      ) : (
        <Show state={ledger}>
          {(entries) =>
            entries.length === 0 ? (
              <p>{t('none')}</p>
            ) : (
              <table data-testid="ledger">
                <thead>
                  <tr>
                    <th scope="col">{t('time')}</th>
                    <th scope="col">{t('type')}</th>
                    <th scope="col">{t('account')}</th>
                    <th scope="col" class="num">
                      {t('amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {entries.flatMap((e) =>
                    e.postings.map((p, i) => (
                      <tr key={`${e.entryId}-${i}`}>
                        <td>{i === 0 ? dateTime(v, e.at) : ''}</td>
                        <td>{i === 0 ? e.kind : ''}</td>
                        <td>{p.account}</td>
                        <td class="num">{money(v, { amount: p.amount, currency: e.currency })}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            )
          }
        </Show>
      )}
    </Section>
  );
};

/** Shown only where the notifications route exists (it answers 404 on servers without it). */
const Notifications = (props: { id: string; venue: Venue }) => {
  const [list] = useLoad(
    () =>
      api<{ notifications: Record<string, unknown>[] }>(
        'GET',
        `/api/v1/reservations/${encodeURIComponent(props.id)}/notifications`,
      ).then((a) => a.body.notifications ?? []),
    props.id,
  );
  if (list.status === 'error' && isMissing(list.error)) return null;
  return (
    <Section id="notifications" title={t('notifications')}>
      <Show state={list}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <ul>
              {items.map((n, i) => (
                <li key={i}>
                  {['channel', 'kind', 'type', 'status', 'sentAt', 'createdAt']
                    .filter((k) => n[k] !== undefined)
                    .map((k) => `${k}: ${String(n[k])}`)
                    .join(' · ')}
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </Section>
  );
};

const Webhooks = (props: { events: StreamEvent[]; venue: Venue }) => {
  const [list] = useLoad(
    async () => {
      const all: {
        id: string;
        eventType: string;
        status: string;
        attempts: number;
        endpointId: string;
        deliveredAt: string | null;
      }[] = [];
      for (const e of props.events) {
        const { body } = await api<{ deliveries: typeof all }>(
          'GET',
          `/api/v1/webhooks/events/${encodeURIComponent(e.eventId)}/deliveries`,
        );
        all.push(...body.deliveries);
      }
      return all;
    },
    props.events.map((e) => e.eventId).join(','),
  );
  if (list.status === 'error') return null;
  if (list.status === 'ok' && list.value.length === 0) return null;
  return (
    <Section id="webhooks" title={t('webhooks')}>
      <Show state={list}>
        {(items) => (
          <ul>
            {items.map((d) => (
              <li key={d.id}>
                {d.eventType} → {d.endpointId}: {d.status} ({d.attempts}){' '}
                {dateTime(props.venue, d.deliveredAt)}
              </li>
            ))}
          </ul>
        )}
      </Show>
    </Section>
  );
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the audit verification of this one stream and waits for its verdict. */
const verifyStream = async (stream: string): Promise<{ status: string; checked: number }> => {
  let job = (
    await api<{ jobId: string; status: string; checked: number; stream: string | null }>(
      'POST',
      '/api/v1/audit/verify',
      { stream },
    )
  ).body;
  for (let i = 0; i < 60 && (job.status === 'running' || job.stream !== stream); i++) {
    await pause(500);
    job = (await api<typeof job>('GET', `/api/v1/audit/verify/${job.jobId}`)).body;
    if (job.status !== 'running' && job.stream !== stream)
      job = (await api<typeof job>('POST', '/api/v1/audit/verify', { stream })).body;
  }
  return job;
};

const EventStream = (props: { id: string; venue: Venue }) => {
  const stream = `reservation-${props.id}`;
  const [events] = useLoad(
    () =>
      api<{ events: StreamEvent[] }>(
        'GET',
        `/api/v1/audit/streams/${encodeURIComponent(stream)}/events?limit=100`,
      ).then((a) => a.body.events),
    stream,
  );
  const [verdict] = useLoad(() => verifyStream(stream), stream);
  if (events.status === 'error' && isMissing(events.error)) {
    return (
      <Section id="events" title={t('events')}>
        <p>{t('notAllowed')}</p>
      </Section>
    );
  }
  return (
    <>
      <Section id="events" title={t('events')}>
        <p role="status" data-testid="chain-badge">
          {verdict.status === 'loading' ? (
            t('verifying')
          ) : verdict.status === 'ok' && verdict.value.status === 'succeeded' ? (
            <span class="badge ok">
              ✔ {t('chainVerified')} ({num(props.venue, verdict.value.checked)})
            </span>
          ) : (
            <span class="badge bad">✖ {t('chainBroken')}</span>
          )}
        </p>
        <Show state={events}>
          {(list) => (
            <table data-testid="events">
              <thead>
                <tr>
                  <th scope="col">{t('revision')}</th>
                  <th scope="col">{t('type')}</th>
                  <th scope="col">{t('time')}</th>
                  <th scope="col">hash</th>
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <tr key={e.eventId}>
                    <td>{e.revision}</td>
                    <td>{e.type}</td>
                    <td>{dateTime(props.venue, e.recordedAt)}</td>
                    <td>
                      <code>{e.hash.slice(0, 12)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Show>
      </Section>
      {events.status === 'ok' && <Webhooks events={events.value} venue={props.venue} />}
    </>
  );
};

export const ReservationView = (props: { id: string }) => {
  const [detail] = useLoad(async () => {
    const d = (await api<Detail>('GET', `/api/v1/reservations/${encodeURIComponent(props.id)}`))
      .body;
    const resource = await api<Resource>(
      'GET',
      `/api/v1/resources/${encodeURIComponent(d.resourceId)}`,
    )
      .then((a) => a.body)
      .catch(() => undefined);
    return { d, venue: venueOf(resource) };
  }, props.id);
  return (
    <Show state={detail}>
      {({ d, venue }) => (
        <>
          <p class="headline">
            <strong>{d.bookingReference}</strong> · {t('state')}:{' '}
            <span data-testid="reservation-state">{d.state}</span> · {dateTime(venue, d.startsAt)} →{' '}
            {dateTime(venue, d.endsAt)}
          </p>
          <Timeline detail={d} venue={venue} />
          <QuoteTable detail={d} venue={venue} />
          <Payment detail={d} venue={venue} />
          <Notifications id={d.reservationId} venue={venue} />
          <EventStream id={d.reservationId} venue={venue} />
        </>
      )}
    </Show>
  );
};
