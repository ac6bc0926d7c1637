import type { Money } from '../shared/money.ts';
import { formatMoney, formatWhen } from './locale.ts';
import type { Language, MessageKind } from './messageKinds.ts';
import { STRINGS, type Strings } from './strings.ts';

/** Everything a template shows; dates are instants, amounts minor units. */
export interface MessageModel {
  readonly kind: MessageKind;
  readonly language: Language;
  /** Intl locale numbers and dates are written in (`he-IL`, `en-GB`). */
  readonly locale: string;
  /** The venue's IANA zone: dates and times read as at the venue. */
  readonly timeZone: string;
  readonly resourceKind: 'nightly' | 'timed';
  readonly recipientName: string;
  readonly venueName: string;
  readonly bookingReference: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly quantity: number;
  readonly total: Money;
  /** Cancellation: what was actually captured and refunded (from the payment record). */
  readonly charged?: Money | undefined;
  readonly refunded?: Money | undefined;
  /** Modification: new total − previous total. */
  readonly priceDifference?: Money | undefined;
  /** Extension: the added nights' or slots' price. */
  readonly additional?: Money | undefined;
  /** Vendor request: the guest's name as the booking recorded it. */
  readonly guestName?: string | undefined;
  /** Vendor request: the signed one-click links and when they stop working. */
  readonly links?:
    { readonly confirm: string; readonly decline: string; readonly expiresAt: string } | undefined;
}

export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export const escapeHtml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

type Row = readonly [label: string, value: string];

const detailRows = (model: MessageModel, s: Strings): Row[] => {
  const when = (instant: string) =>
    formatWhen(instant, model.resourceKind, model.locale, model.timeZone);
  const money = (value: Money) => formatMoney(value, model.locale);
  const rows: Row[] = [
    [s.reference, model.bookingReference],
    [s.venue, model.venueName],
    [model.resourceKind === 'nightly' ? s.checkIn : s.starts, when(model.startsAt)],
    [model.resourceKind === 'nightly' ? s.checkOut : s.ends, when(model.endsAt)],
    [s.quantity, String(model.quantity)],
    [s.total, money(model.total)],
  ];
  if (model.guestName !== undefined) rows.splice(2, 0, [s.guest, model.guestName]);
  if (model.priceDifference !== undefined)
    rows.push([s.priceDifference, money(model.priceDifference)]);
  if (model.additional !== undefined) rows.push([s.additional, money(model.additional)]);
  if (model.charged !== undefined) rows.push([s.charged, money(model.charged)]);
  if (model.refunded !== undefined)
    rows.push([s.refunded, model.refunded.amount > 0 ? money(model.refunded) : s.noRefund]);
  return rows;
};

/** Renders a message's subject, text and HTML parts; pure, so tests read them back exactly. */
export const renderMessage = (model: MessageModel): RenderedMessage => {
  const s = STRINGS[model.language];
  const when = formatWhen(model.startsAt, model.resourceKind, model.locale, model.timeZone);
  const vars = { venue: model.venueName, ref: model.bookingReference, when };
  const subject = s.subject[model.kind](vars);
  const lead = s.lead[model.kind](vars);
  const rows = detailRows(model, s);
  const links = model.links;
  const linkExpiry = links
    ? s.linksExpire(formatWhen(links.expiresAt, 'timed', model.locale, model.timeZone))
    : '';
  const text = [
    s.greeting(model.recipientName),
    '',
    lead,
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    ...(links
      ? ['', `${s.confirm}: ${links.confirm}`, `${s.decline}: ${links.decline}`, linkExpiry]
      : []),
    '',
    s.signature,
    '',
  ].join('\n');
  const dir = model.language === 'he' ? 'rtl' : 'ltr';
  const align = dir === 'rtl' ? 'right' : 'left';
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${model.language}" dir="${dir}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body dir="${dir}" style="font-family: sans-serif; text-align: ${align}">`,
    `<p>${escapeHtml(s.greeting(model.recipientName))}</p>`,
    `<p>${escapeHtml(lead)}</p>`,
    '<table>',
    ...rows.map(
      ([label, value]) =>
        `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    ...(links
      ? [
          `<p><a href="${escapeHtml(links.confirm)}">${escapeHtml(s.confirm)}</a> · <a href="${escapeHtml(links.decline)}">${escapeHtml(s.decline)}</a></p>`,
          `<p>${escapeHtml(linkExpiry)}</p>`,
        ]
      : []),
    `<p>${escapeHtml(s.signature)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { subject, text, html };
};
