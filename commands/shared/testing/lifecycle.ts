import type { WriteTestApp } from '../../../infra/testing/writeTestApp.ts';
import { call, guest } from './httpClient.ts';

/** Places a nightly hold over HTTP and returns its id (fails the test on anything but 201). */
export const holdNights = async (
  app: WriteTestApp,
  key: string,
  resourceId: string,
  checkIn: string,
  checkOut: string,
  extra: Record<string, unknown> = {},
): Promise<string> => {
  const response = await call(app, 'POST', '/api/v1/reservations', key, {
    resourceId,
    checkIn,
    checkOut,
    guest,
    requesterId: 'req',
    ...extra,
  });
  if (response.status !== 201) throw new Error(`hold failed: ${JSON.stringify(response.body)}`);
  return String(response.body['reservationId']);
};

/** Counts the events of each type in a stream. */
export const typesIn = async (app: WriteTestApp, stream: string): Promise<string[]> =>
  (await app.store.readStream(stream)).map((e) => e.type);
