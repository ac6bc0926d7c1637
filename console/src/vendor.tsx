import { useState } from 'preact/hooks';
import { api, currentSession, minPositionHeader, notePosition } from './api.ts';
import { clock, dateTime, localDate, money, num, t, venueLocale, type Venue } from './i18n.ts';
import { Link, Section, Show, useLoad } from './shared.tsx';

export interface Resource {
  readonly resourceId: string;
  readonly vendorId: string;
  readonly kind: 'nightly' | 'timed';
  readonly zone: string;
  readonly currency: string;
  readonly capacity: number;
  readonly confirmationPolicy: string;
  readonly listing?: { name?: string; location?: { country?: string } };
}

interface Unit {
  readonly slotKey: string;
  readonly date: string;
  readonly startTime?: string;
  readonly capacity: number;
  readonly held: number;
  readonly booked: number;
  readonly available: number;
  readonly closed: boolean;
}

interface Booking {
  readonly reservationId: string;
  readonly bookingReference: string;
  readonly status: string;
  readonly resourceId: string;
  readonly startsAt: string;
  readonly total: { amount: number; currency: string };
}

/**
 * Live views poll (with X-Min-Position after the page's own writes): every 3 s
 * for the heatmap and grids (one inventory read per resource), every 6 s for
 * the requests, which keeps a vendor with a few resources well under the
 * default 100 requests a minute per principal.
 */
const POLL_MS = 3000;
/** Requests shown with their deadline (one reservation read each). */
const MAX_PENDING = 20;
const NIGHTS = 14;

export const venueOf = (r: Resource | undefined): Venue => ({
  locale: venueLocale(r?.listing?.location?.country),
  zone: r?.zone ?? 'UTC',
  currency: r?.currency ?? 'EUR',
});

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const nameOf = (r: Resource) => r.listing?.name ?? r.resourceId;

const inventory = async (resourceId: string, from: string, days: number) =>
  (
    await api<{ items: Unit[] }>(
      'GET',
      `/api/v1/inventory/query?sku=${encodeURIComponent(resourceId)}&dates=${from}/${addDays(from, days)}`,
      undefined,
      minPositionHeader(),
    )
  ).body.items;

const slotAction = async (
  resourceId: string,
  action: 'close' | 'open' | 'capacity',
  slotKey: string,
  capacity?: number,
) => {
  const answer = await api<{ position: string }>(
    'POST',
    `/api/v1/resources/${encodeURIComponent(resourceId)}/slots/${action}`,
    {
      slotKeys: [slotKey],
      ...(capacity === undefined ? {} : { capacity }),
      ...(action === 'close' ? { reason: 'Closed from the console.' } : {}),
    },
  );
  notePosition(answer.body.position);
};

const shade = (u: Unit): string => {
  if (u.closed) return 'cell closed';
  const used = u.capacity === 0 ? 1 : (u.booked + u.held) / u.capacity;
  return `cell level-${Math.min(4, Math.ceil(used * 4))}`;
};

/** Close, reopen or resize the one selected night or slot. */
const SlotActions = (props: {
  resource: Resource;
  unit: Unit;
  venue: Venue;
  onDone: () => void;
}) => {
  const { resource, unit } = props;
  const [capacity, setCapacity] = useState(String(unit.capacity));
  const [message, setMessage] = useState('');
  const run = (p: Promise<void>): void =>
    void p.then(
      () => {
        setMessage('✓');
        props.onDone();
      },
      (e: Error) => setMessage(e.message),
    );
  const label = unit.startTime
    ? `${nameOf(resource)} ${localDate(props.venue, unit.date)} ${clock(props.venue, unit.startTime)}`
    : `${nameOf(resource)} ${localDate(props.venue, unit.date)}`;
  return (
    <div class="actions" role="group" aria-label={label}>
      <strong>{label}</strong>
      {unit.closed ? (
        <button
          type="button"
          onClick={() => run(slotAction(resource.resourceId, 'open', unit.slotKey))}
        >
          {t('reopen')}
        </button>
      ) : (
        <button
          type="button"
          onClick={() => run(slotAction(resource.resourceId, 'close', unit.slotKey))}
        >
          {t('close')}
        </button>
      )}
      <label>
        {t('capacity')}{' '}
        <input
          type="number"
          min={0}
          max={100000}
          value={capacity}
          onInput={(e) => setCapacity(e.currentTarget.value)}
        />
      </label>
      <button
        type="button"
        onClick={() =>
          run(slotAction(resource.resourceId, 'capacity', unit.slotKey, Number(capacity)))
        }
      >
        {t('setCapacity')}
      </button>
      <span role="status">{message}</span>
    </div>
  );
};

const cellText = (venue: Venue, u: Unit) =>
  `${t('sold')} ${num(venue, u.booked)}, ${t('held')} ${num(venue, u.held)}, ${t('capacity')} ${num(venue, u.capacity)}${u.closed ? `, ${t('closed')}` : ''}`;

const percent = (venue: Venue, share: number): string =>
  new Intl.NumberFormat(venue.locale, { style: 'percent' }).format(share);

/** What a heatmap cell shows: sold, +held when any, / capacity. */
const cellFigure = (venue: Venue, u: Unit) =>
  `${num(venue, u.booked)}${u.held > 0 ? `+${num(venue, u.held)}` : ''}/${num(venue, u.capacity)}`;

const Heatmap = (props: { resources: Resource[]; from: string }) => {
  const [selected, setSelected] = useState<{ r: Resource; u: Unit } | undefined>();
  const key = `${props.resources.map((r) => r.resourceId).join(',')}@${props.from}`;
  const [rows, reload] = useLoad(
    () =>
      Promise.all(
        props.resources.map(async (r) => ({
          r,
          units: await inventory(r.resourceId, props.from, NIGHTS),
        })),
      ),
    key,
    POLL_MS,
  );
  const dates = Array.from({ length: NIGHTS }, (_, i) => addDays(props.from, i));
  const venue = venueOf(props.resources[0]);
  return (
    <Section id="heatmap" title={t('heatmap')}>
      <p class="legend">
        <span class="cell level-0">{percent(venue, 0)}</span>{' '}
        <span class="cell level-2">{percent(venue, 0.5)}</span>{' '}
        <span class="cell level-4">{percent(venue, 1)}</span>{' '}
        <span class="cell closed">{t('closed')}</span> <span aria-live="off">● {t('live')}</span>
      </p>
      <Show state={rows}>
        {(value) => (
          <div class="scroll">
            <table class="heatmap" data-testid="heatmap">
              <caption class="sr-only">{t('heatmap')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('resources')}</th>
                  {dates.map((d) => (
                    <th scope="col" key={d}>
                      {localDate(venue, d)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {value.map(({ r, units }) => (
                  <tr key={r.resourceId} data-resource={r.resourceId}>
                    <th scope="row">{nameOf(r)}</th>
                    {units.map((u) => (
                      <td key={u.slotKey}>
                        <button
                          type="button"
                          class={shade(u)}
                          data-slot={u.slotKey}
                          data-held={u.held}
                          data-sold={u.booked}
                          data-closed={String(u.closed)}
                          aria-label={`${cellFigure(venueOf(r), u)} — ${nameOf(r)} ${localDate(venueOf(r), u.date, 'long')}: ${cellText(venueOf(r), u)}`}
                          aria-pressed={selected?.u.slotKey === u.slotKey && selected.r === r}
                          onClick={() => setSelected({ r, u })}
                        >
                          <bdi dir="ltr">{cellFigure(venueOf(r), u)}</bdi>
                        </button>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Show>
      {selected && (
        <SlotActions
          key={`${selected.r.resourceId}/${selected.u.slotKey}`}
          resource={selected.r}
          unit={selected.u}
          venue={venueOf(selected.r)}
          onDone={reload}
        />
      )}
    </Section>
  );
};

const SlotGrid = (props: { resource: Resource; day: string }) => {
  const venue = venueOf(props.resource);
  const [selected, setSelected] = useState<Unit | undefined>();
  const [units, reload] = useLoad(
    () => inventory(props.resource.resourceId, props.day, 1),
    `${props.resource.resourceId}@${props.day}`,
    POLL_MS,
  );
  return (
    <Section
      id={`grid-${props.resource.resourceId}`}
      title={`${t('slotGrid')}: ${nameOf(props.resource)}`}
    >
      <Show state={units}>
        {(items) => (
          <table class="grid" data-resource={props.resource.resourceId}>
            <caption class="sr-only">{`${t('slotGrid')} ${localDate(venue, props.day, 'long')}`}</caption>
            <thead>
              <tr>
                <th scope="col">{t('time')}</th>
                <th scope="col">{t('capacity')}</th>
                <th scope="col">{t('sold')}</th>
                <th scope="col">{t('held')}</th>
                <th scope="col">{t('available')}</th>
                <th scope="col">{t('closed')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.slotKey} class={u.closed ? 'closed-row' : ''} data-slot={u.slotKey}>
                  <th scope="row">
                    <button
                      type="button"
                      aria-pressed={selected?.slotKey === u.slotKey}
                      onClick={() => setSelected(u)}
                    >
                      {u.startTime ? clock(venue, u.startTime) : u.slotKey}
                    </button>
                  </th>
                  <td>{num(venue, u.capacity)}</td>
                  <td>{num(venue, u.booked)}</td>
                  <td>{num(venue, u.held)}</td>
                  <td>{num(venue, u.available)}</td>
                  <td>{u.closed ? t('closed') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Show>
      {selected && (
        <SlotActions
          key={selected.slotKey}
          resource={props.resource}
          unit={selected}
          venue={venue}
          onDone={reload}
        />
      )}
    </Section>
  );
};

interface Pending extends Booking {
  readonly deadline: string | null;
}

const Pending = (props: { resources: Resource[] }) => {
  const [outcome, setOutcome] = useState('');
  const [list, reload] = useLoad(
    async () => {
      const found: Pending[] = [];
      for (const r of props.resources) {
        const { body } = await api<{ bookings: Booking[] }>(
          'GET',
          `/api/v1/venues/${encodeURIComponent(r.resourceId)}/bookings?limit=200`,
          undefined,
          minPositionHeader(),
        );
        for (const b of body.bookings.filter((b) => b.status === 'AWAITING_VENDOR_CONFIRMATION')) {
          const detail = await api<{ expiresAt: string | null; state: string }>(
            'GET',
            `/api/v1/reservations/${encodeURIComponent(b.reservationId)}`,
          );
          if (detail.body.state === 'AWAITING_VENDOR_CONFIRMATION')
            found.push({ ...b, deadline: detail.body.expiresAt });
          if (found.length >= MAX_PENDING) return found;
        }
      }
      return found;
    },
    props.resources.map((r) => r.resourceId).join(','),
    POLL_MS * 2,
  );
  const answer = async (b: Pending, decision: 'confirm' | 'decline') => {
    try {
      const { body } = await api<{ state: string; position?: string }>(
        'POST',
        `/api/v1/reservations/${encodeURIComponent(b.reservationId)}/vendor-confirmation`,
        decision === 'confirm' ? { decision } : { decision, reason: 'Declined in the console.' },
      );
      notePosition(body.position);
      setOutcome(`${b.bookingReference}: ${body.state}`);
      reload();
    } catch (e) {
      setOutcome((e as Error).message);
    }
  };
  const byId = new Map(props.resources.map((r) => [r.resourceId, r]));
  return (
    <Section id="pending" title={t('pending')}>
      <p role="status" data-testid="confirmation-outcome">
        {outcome}
      </p>
      <Show state={list}>
        {(items) =>
          items.length === 0 ? (
            <p>{t('noPending')}</p>
          ) : (
            <table data-testid="pending">
              <thead>
                <tr>
                  <th scope="col">{t('reservation')}</th>
                  <th scope="col">{t('resources')}</th>
                  <th scope="col">{t('from')}</th>
                  <th scope="col">{t('total')}</th>
                  <th scope="col">{t('deadline')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('confirm')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((b) => {
                  const venue = venueOf(byId.get(b.resourceId));
                  return (
                    <tr key={b.reservationId} data-reservation={b.reservationId}>
                      <td>
                        <Link href={`/console/reservations/${encodeURIComponent(b.reservationId)}`}>
                          {b.bookingReference}
                        </Link>
                      </td>
                      <td>
                        {nameOf(
                          byId.get(b.resourceId) ?? ({ resourceId: b.resourceId } as Resource),
                        )}
                      </td>
                      <td>{dateTime(venue, b.startsAt)}</td>
                      <td>{money(venue, b.total)}</td>
                      <td>{dateTime(venue, b.deadline)}</td>
                      <td class="buttons">
                        <button type="button" onClick={() => void answer(b, 'confirm')}>
                          {t('confirm')} <span class="sr-only">{b.bookingReference}</span>
                        </button>
                        <button
                          type="button"
                          class="secondary"
                          onClick={() => void answer(b, 'decline')}
                        >
                          {t('decline')} <span class="sr-only">{b.bookingReference}</span>
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Show>
    </Section>
  );
};

/** The vendor's week: a heatmap of nights, a slot grid of a day, requests to answer. */
export const VendorView = (props: { from: string }) => {
  const session = currentSession();
  const vendorId = session?.vendorId;
  const [resources] = useLoad(
    async () =>
      (
        await api<{ resources: Resource[] }>(
          'GET',
          `/api/v1/resources?limit=50${vendorId ? `&vendorId=${encodeURIComponent(vendorId)}` : ''}`,
        )
      ).body.resources.filter((r) => vendorId === undefined || r.vendorId === vendorId),
    vendorId ?? '*',
  );
  const [day, setDay] = useState(props.from);
  return (
    <Show state={resources}>
      {(all) => {
        const nightly = all.filter((r) => r.kind === 'nightly');
        const timed = all.filter((r) => r.kind === 'timed');
        return (
          <>
            <p data-testid="vendor-resources">
              {t('resources')}: {all.map(nameOf).join(', ') || t('none')}
            </p>
            <Pending resources={all.filter((r) => r.confirmationPolicy === 'vendor')} />
            {nightly.length > 0 && <Heatmap resources={nightly} from={props.from} />}
            {timed.length > 0 && (
              <>
                <label class="day">
                  {t('day')}{' '}
                  <input
                    type="date"
                    value={day}
                    onChange={(e) => setDay(e.currentTarget.value || props.from)}
                  />
                </label>
                {timed.map((r) => (
                  <SlotGrid key={r.resourceId} resource={r} day={day} />
                ))}
              </>
            )}
          </>
        );
      }}
    </Show>
  );
};
