import { expect } from 'chai';
import { formatMoney, formatWhen, localDateOf, pickLocale } from './locale.ts';
import { renderMessage, type MessageModel } from './templates.ts';

const base: MessageModel = {
  kind: 'confirmation',
  language: 'en',
  locale: 'en-GB',
  timeZone: 'Asia/Jerusalem',
  resourceKind: 'nightly',
  recipientName: 'Dana <Cohen>',
  venueName: 'Sea View Suite',
  bookingReference: 'BL-7K2Q9',
  startsAt: '2027-03-10T13:00:00.000Z',
  endsAt: '2027-03-12T09:00:00.000Z',
  quantity: 1,
  total: { amount: 123450, currency: 'ILS' },
};

describe('notification templates', () => {
  it('picks the guest language, else the venue’s, with the venue’s country', () => {
    expect(pickLocale('he', 'US')).to.deep.equal({ language: 'he', locale: 'he-US' });
    expect(pickLocale('en-US', 'IL')).to.deep.equal({ language: 'en', locale: 'en-IL' });
    expect(pickLocale(undefined, 'IL')).to.deep.equal({ language: 'he', locale: 'he-IL' });
    expect(pickLocale('fr', 'GB')).to.deep.equal({ language: 'en', locale: 'en-GB' });
  });

  it('formats minor units with the currency’s own digits, in the locale', () => {
    expect(formatMoney({ amount: 123450, currency: 'ILS' }, 'en-GB')).to.equal('₪1,234.50');
    expect(formatMoney({ amount: 1500, currency: 'JPY' }, 'en-US')).to.equal('¥1,500');
    const hebrew = formatMoney({ amount: 123450, currency: 'ILS' }, 'he-IL');
    expect(hebrew).to.contain('1,234.50').and.to.contain('₪');
    expect(formatMoney({ amount: 123450, currency: 'EUR' }, 'de-DE')).to.match(/^1\.234,50\s€$/);
  });

  it('writes dates in the venue’s zone, not the server’s', () => {
    // 22:30 UTC is already the next day in Jerusalem.
    expect(localDateOf('2027-03-10T22:30:00Z', 'Asia/Jerusalem')).to.equal('2027-03-11');
    expect(formatWhen('2027-03-10T22:30:00Z', 'timed', 'en-GB', 'Asia/Jerusalem')).to.equal(
      'Thursday, 11 March 2027 at 00:30',
    );
    expect(formatWhen('2027-03-10T22:30:00Z', 'nightly', 'he-IL', 'Asia/Jerusalem')).to.contain(
      '11 במרץ 2027',
    );
  });

  it('renders English text and HTML, escaping what the guest typed', () => {
    const message = renderMessage(base);
    expect(message.subject).to.equal('Booking confirmed: Sea View Suite (BL-7K2Q9)');
    expect(message.text).to.contain('Hello Dana <Cohen>,');
    expect(message.text).to.contain('Check-in: Wednesday, 10 March 2027');
    expect(message.text).to.contain('Check-out: Friday, 12 March 2027');
    expect(message.text).to.contain('Total: ₪1,234.50');
    expect(message.html).to.contain('<html lang="en" dir="ltr">');
    expect(message.html).to.contain('Dana &lt;Cohen&gt;');
    expect(message.html).not.to.contain('<Cohen>');
  });

  it('renders Hebrew right to left with Hebrew dates and amounts', () => {
    const message = renderMessage({ ...base, language: 'he', locale: 'he-IL' });
    expect(message.subject).to.equal('ההזמנה אושרה: Sea View Suite (BL-7K2Q9)');
    expect(message.html).to.contain('<html lang="he" dir="rtl">');
    expect(message.html).to.contain('<body dir="rtl"');
    expect(message.text).to.contain('שלום Dana <Cohen>,');
    expect(message.text).to.contain('כניסה: יום רביעי, 10 במרץ 2027');
    expect(message.text).to.match(/סה״כ: .*1,234\.50/);
  });

  it('shows the refund actually made, or says there was none', () => {
    const refunded = renderMessage({
      ...base,
      kind: 'cancellation',
      refunded: { amount: 50000, currency: 'ILS' },
    });
    expect(refunded.text).to.contain('Refunded: ₪500.00');
    const none = renderMessage({
      ...base,
      kind: 'cancellation',
      refunded: { amount: 0, currency: 'ILS' },
    });
    expect(none.text).to.contain('Refunded: No refund');
  });

  it('gives the vendor both links, with their expiry in the venue’s time', () => {
    const message = renderMessage({
      ...base,
      kind: 'vendor-request',
      resourceKind: 'timed',
      guestName: 'Dana',
      links: {
        confirm: 'https://x.test/a?t=1&u=2',
        decline: 'https://x.test/b',
        expiresAt: '2027-03-01T10:00:00Z',
      },
    });
    expect(message.text).to.contain('Confirm the request: https://x.test/a?t=1&u=2');
    expect(message.text).to.contain('Guest: Dana');
    expect(message.text).to.contain('expire on Monday, 1 March 2027 at 12:00');
    expect(message.html).to.contain('<a href="https://x.test/a?t=1&amp;u=2">');
  });
});
