/**
 * The console's only door to the API: same origin, bearer tokens kept in this
 * module's memory (never localStorage or cookies, so no CSRF and nothing left
 * behind on the machine). A 401 refreshes once through the rotating refresh
 * token; the access token is also refreshed a minute before it expires.
 */
export interface Session {
  readonly role: string;
  readonly subject: string;
  readonly vendorId: string | undefined;
  readonly email: string;
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let tokens: Tokens | undefined;
let refreshTimer: number | undefined;
let session: Session | undefined;
const listeners = new Set<(s: Session | undefined) => void>();

export const currentSession = (): Session | undefined => session;
export const onSessionChange = (listener: (s: Session | undefined) => void): (() => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

const decodeClaims = (jwt: string): Record<string, unknown> => {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(json) as Record<string, unknown>;
};

const setTokens = (next: Tokens | undefined, email: string): void => {
  tokens = next;
  window.clearTimeout(refreshTimer);
  if (next === undefined) {
    session = undefined;
  } else {
    const claims = decodeClaims(next.accessToken);
    session = {
      role: String(claims['role']),
      subject: String(claims['sub']),
      vendorId: typeof claims['vendorId'] === 'string' ? claims['vendorId'] : undefined,
      email,
    };
    refreshTimer = window.setTimeout(
      () => void refresh().catch(() => setTokens(undefined, '')),
      Math.max(5, next.expiresIn - 60) * 1000,
    );
  }
  for (const listener of listeners) listener(session);
};

const readError = async (response: Response): Promise<ApiError> => {
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code?: string; message?: string };
  };
  return new ApiError(
    response.status,
    body.error?.code ?? `HTTP_${response.status}`,
    body.error?.message ?? response.statusText,
  );
};

const post = (path: string, body: unknown): Promise<Response> =>
  fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
  });

export const login = async (email: string, password: string): Promise<Session> => {
  const response = await post('/api/v1/auth/login', { email, password });
  if (!response.ok) throw await readError(response);
  setTokens((await response.json()) as Tokens, email);
  return session as Session;
};

let refreshing: Promise<void> | undefined;
const refresh = (): Promise<void> => {
  refreshing ??= (async () => {
    const current = tokens;
    if (!current) throw new ApiError(401, 'UNAUTHENTICATED', 'Not logged in.');
    const response = await post('/api/v1/auth/token_refresh', {
      refreshToken: current.refreshToken,
    });
    if (!response.ok) {
      setTokens(undefined, '');
      throw await readError(response);
    }
    setTokens((await response.json()) as Tokens, session?.email ?? '');
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
};

export const logout = async (): Promise<void> => {
  if (tokens) {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.accessToken}` },
      credentials: 'omit',
    }).catch(() => undefined);
  }
  setTokens(undefined, '');
};

export interface Answer<T> {
  readonly body: T;
  readonly headers: Headers;
}

/** A JSON call with the access token; one refresh and retry on 401. */
export const api = async <T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> => {
  const send = () =>
    fetch(path, {
      method,
      credentials: 'omit',
      headers: {
        ...(tokens ? { authorization: `Bearer ${tokens.accessToken}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : { 'idempotency-key': crypto.randomUUID() }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  let response = await send();
  if (response.status === 401 && tokens) {
    await refresh();
    response = await send();
  }
  if (!response.ok) throw await readError(response);
  const text = await response.text();
  return { body: (text === '' ? {} : JSON.parse(text)) as T, headers: response.headers };
};

/** The highest log position this page wrote: reads send it as X-Min-Position. */
let lastPosition: string | undefined;
export const notePosition = (position: unknown): void => {
  if (typeof position === 'string' && position !== '') lastPosition = position;
};
export const minPositionHeader = (): Record<string, string> =>
  lastPosition === undefined ? {} : { 'x-min-position': lastPosition };
