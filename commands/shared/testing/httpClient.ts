import { randomUUID } from 'node:crypto';
import { bearer, postJson } from '../../../infra/http/testing.ts';
import type { WriteTestApp } from '../../../infra/testing/writeTestApp.ts';

export interface JsonResponse {
  readonly status: number;
  // Bodies are asserted field by field in the tests; a loose record keeps those reads short.
  readonly body: Record<string, unknown> & {
    error?: { code: string; details: Record<string, unknown> };
  };
  readonly headers: Headers;
}

/** A JSON call against the test app with a bearer credential and optional extra headers. */
export const call = async (
  app: WriteTestApp,
  method: string,
  path: string,
  credential: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> => {
  const response =
    body === undefined
      ? await fetch(`${app.baseUrl}${path}`, {
          method,
          headers: { ...bearer(credential), ...headers },
        })
      : await postJson(
          `${app.baseUrl}${path}`,
          body,
          { ...bearer(credential), ...headers },
          method,
        );
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as JsonResponse['body']),
    headers: response.headers,
  };
};

/** A fresh guest user (role guest, its own guestId) and its access token. */
export const createGuestToken = async (
  app: WriteTestApp,
  guestId = `guest-${randomUUID().slice(0, 8)}`,
): Promise<{ token: string; guestId: string }> => {
  const email = `${guestId}@example.test`;
  const password = `pw-${randomUUID()}`;
  await postJson(
    `${app.baseUrl}/api/v1/admin/users`,
    { email, password, role: 'guest', guestId },
    bearer(app.adminKey),
  );
  const login = await postJson(`${app.baseUrl}/api/v1/auth/login`, { email, password });
  const body = (await login.json()) as { accessToken: string };
  return { token: body.accessToken, guestId };
};

export const guest = { name: 'Ada Lovelace', email: 'ada@example.test' };
