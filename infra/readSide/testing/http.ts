export interface JsonAnswer {
  readonly status: number;
  // Bodies are asserted field by field in the tests; a loose record keeps those reads short.
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

/** One JSON call with a bearer credential; `body` makes it a JSON request. */
export const request = async (
  baseUrl: string,
  method: string,
  path: string,
  credential: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> => {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${credential}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    headers: response.headers,
  };
};
