import { useState } from 'preact/hooks';
import { api } from './api.ts';
import { DEFAULT_VENUE, dateTime, money, num, t, venueLocale, type Venue } from './i18n.ts';
import { BarChart } from './chart.tsx';
import { Link, Section, Show, useLoad } from './shared.tsx';

interface Stall {
  subscriber: string;
  stream: string;
  eventType: string;
  eventId: string;
  error: string;
  attempts: number;
  nextRetryAt: string;
}

interface Status {
  projections: {
    name: string;
    store: string;
    liveVersion: number | null;
    checkpoint: string | null;
    lag: { events: number; seconds: number };
    stall: Stall | null;
  }[];
  subscribers: { name: string; checkpoint: string; updatedAt: string; stall: Stall | null }[];
  stalls: Stall[];
}

interface DeadLetter {
  reservationId: string;
  deadLetteredAt: string;
  steps: {
    step: string;
    attempt: number;
    reason: string;
    amount: { amount: number; currency: string } | null;
  }[];
}

const Projections = (props: { venue: Venue }) => {
  const [status] = useLoad(
    () => api<Status>('GET', '/api/v1/admin/projections').then((a) => a.body),
    'p',
    3000,
  );
  const v = props.venue;
  return (
    <>
      <Section id="projections" title={t('projections')}>
        <Show state={status}>
          {(s) => (
            <table data-testid="projections">
              <thead>
                <tr>
                  <th scope="col">{t('projections')}</th>
                  <th scope="col">{t('version')}</th>
                  <th scope="col">{t('checkpoint')}</th>
                  <th scope="col" class="num">
                    {t('lagEvents')}
                  </th>
                  <th scope="col" class="num">
                    {t('lagSeconds')}
                  </th>
                  <th scope="col">{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {s.projections.map((p) => (
                  <tr key={p.name} class={p.stall ? 'stalled' : ''}>
                    <th scope="row">
                      {p.name} <small>({p.store})</small>
                    </th>
                    <td>{p.liveVersion ?? '—'}</td>
                    <td>
                      <code>{p.checkpoint ?? '—'}</code>
                    </td>
                    <td class="num">{num(v, p.lag.events)}</td>
                    <td class="num">{num(v, p.lag.seconds, 1)}</td>
                    <td>{p.stall ? `STALLED: ${p.stall.eventType}` : 'OK'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Show>
      </Section>
      <Section id="subscribers" title={t('subscribers')}>
        <Show state={status}>
          {(s) => (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('subscribers')}</th>
                    <th scope="col">{t('checkpoint')}</th>
                    <th scope="col">{t('time')}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.subscribers.map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{c.name}</th>
                      <td>
                        <code>{c.checkpoint}</code>
                      </td>
                      <td>{dateTime(v, c.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>{t('stalls')}</h3>
              {s.stalls.length === 0 ? (
                <p>{t('noStalls')}</p>
              ) : (
                <ul data-testid="stalls">
                  {s.stalls.map((st) => (
                    <li key={st.subscriber}>
                      <strong>{st.subscriber}</strong>: {st.eventType} {st.eventId} @ {st.stream} —{' '}
                      {st.error} ({num(v, st.attempts)}) → {dateTime(v, st.nextRetryAt)}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </Show>
      </Section>
    </>
  );
};

const DeadLetters = (props: { venue: Venue }) => {
  const [outcome, setOutcome] = useState('');
  const [list, reload] = useLoad(
    () =>
      api<{ deadLetters: DeadLetter[] }>('GET', '/api/v1/admin/payments/dead-letters').then(
        (a) => a.body.deadLetters,
      ),
    'dl',
    3000,
  );
  const retry = async (id: string) => {
    try {
      const { body } = await api<{ retried: { step: string; attempt: number }[] }>(
        'POST',
        `/api/v1/admin/payments/${encodeURIComponent(id)}/retry`,
        {},
      );
      setOutcome(
        `${t('retried')} ${id}: ${body.retried.map((r) => `${r.step} #${r.attempt}`).join(', ')}`,
      );
      reload();
    } catch (e) {
      setOutcome((e as Error).message);
    }
  };
  return (
    <Section id="dead-letters" title={t('deadLetters')}>
      <p role="status" data-testid="retry-outcome">
        {outcome}
      </p>
      <Show state={list}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('noDeadLetters')}</p>
          ) : (
            <table data-testid="dead-letters">
              <thead>
                <tr>
                  <th scope="col">{t('reservation')}</th>
                  <th scope="col">{t('step')}</th>
                  <th scope="col">{t('reason')}</th>
                  <th scope="col">{t('time')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('retry')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={d.reservationId} data-reservation={d.reservationId}>
                    <th scope="row">
                      <Link href={`/console/reservations/${encodeURIComponent(d.reservationId)}`}>
                        {d.reservationId}
                      </Link>
                    </th>
                    <td>
                      {d.steps
                        .map((s) => `${s.step} #${s.attempt} ${money(props.venue, s.amount)}`)
                        .join(', ')}
                    </td>
                    <td>{d.steps.map((s) => s.reason).join('; ')}</td>
                    <td>{dateTime(props.venue, d.deadLetteredAt)}</td>
                    <td>
                      <button type="button" onClick={() => void retry(d.reservationId)}>
                        {t('retry')} <span class="sr-only">{d.reservationId}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </Section>
  );
};

const Reconciliation = (props: { venue: Venue }) => {
  const [found] = useLoad(
    () =>
      api<{
        latestFindings: {
          reservationId: string;
          kind: string;
          repaired: boolean;
          foundAt: string;
        }[];
      }>('GET', '/api/v1/admin/payments/reconciliation').then((a) => a.body.latestFindings),
    'rec',
  );
  return (
    <Section id="reconciliation" title={t('reconciliation')}>
      <Show state={found}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('noFindings')}</p>
          ) : (
            <ul>
              {items.map((f, i) => (
                <li key={i}>
                  {f.reservationId}: {f.kind} {f.repaired ? '✔' : ''}{' '}
                  {dateTime(props.venue, f.foundAt)}
                </li>
              ))}
            </ul>
          )
        }
      </Show>
    </Section>
  );
};

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const Analytics = (props: { from: string; venue: Venue }) => {
  const to = addDays(props.from, 14);
  const [occupancy] = useLoad(
    () =>
      api<{ rows: { date: string; capacity: number; sold: number; held: number }[] }>(
        'GET',
        `/api/v1/reports/occupancy?from=${props.from}&to=${to}`,
      ).then((a) => a.body.rows),
    `occ${props.from}`,
  );
  const [revenue] = useLoad(
    () =>
      api<{ rows: { date: string; currency: string; total: number }[] }>(
        'GET',
        `/api/v1/reports/revenue?from=${props.from}&to=${to}`,
      ).then((a) => a.body.rows),
    `rev${props.from}`,
  );
  const dates = Array.from({ length: 14 }, (_, i) => addDays(props.from, i));
  return (
    <>
      <Section id="occupancy" title={t('occupancy')}>
        <Show state={occupancy}>
          {(rows) => {
            const points = dates.map((d) => {
              const day = rows.filter((r) => r.date === d);
              const cap = day.reduce((s, r) => s + r.capacity, 0);
              const used = day.reduce((s, r) => s + r.sold + r.held, 0);
              return { label: d.slice(5), value: cap === 0 ? 0 : (100 * used) / cap };
            });
            return (
              <BarChart
                title={t('occupancy')}
                points={points}
                max={100}
                format={(n) => `${num(props.venue, n, 0)}%`}
              />
            );
          }}
        </Show>
      </Section>
      <Section id="revenue" title={t('revenue')}>
        <Show state={revenue}>
          {(rows) => {
            const currency = rows[0]?.currency ?? props.venue.currency;
            const points = dates.map((d) => ({
              label: d.slice(5),
              value: rows
                .filter((r) => r.date === d && r.currency === currency)
                .reduce((s, r) => s + r.total, 0),
            }));
            return (
              <BarChart
                title={t('revenue')}
                points={points}
                format={(n) => money(props.venue, { amount: n, currency })}
              />
            );
          }}
        </Show>
      </Section>
    </>
  );
};

/** What is stuck and how the business goes: projections, stalls, dead letters, findings, charts. */
export const OperatorView = (props: { from: string }) => {
  const venue: Venue = { ...DEFAULT_VENUE, locale: venueLocale(undefined) };
  return (
    <>
      <Projections venue={venue} />
      <DeadLetters venue={venue} />
      <Reconciliation venue={venue} />
      <Analytics from={props.from} venue={venue} />
    </>
  );
};
