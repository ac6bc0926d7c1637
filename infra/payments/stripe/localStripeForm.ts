/**
 * Test support for the local Stripe test double (localStripeServer.ts), not used
 * in production: Stripe's form encoding, where nested objects travel as
 * bracketed keys (`metadata[reservation_id]=r1`, `automatic_payment_methods[enabled]=true`).
 */

export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

/** Parses a form body into nested objects. Indexed keys (`expand[0]`) stay objects keyed "0". */
export const parseStripeForm = (body: string): FormObject => {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.replaceAll(']', '').split('[');
    let node = root;
    path.forEach((segment, index) => {
      if (index === path.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (typeof next === 'object') {
        node = next;
      } else {
        const created: FormObject = {};
        node[segment] = created;
        node = created;
      }
    });
  }
  return root;
};

/** A top-level string parameter, or undefined. */
export const stringParam = (params: FormObject, name: string): string | undefined => {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
};

/** A top-level integer parameter: undefined when absent, NaN when not an integer. */
export const integerParam = (params: FormObject, name: string): number | undefined => {
  const value = stringParam(params, name);
  if (value === undefined) return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
};

/** A nested object of strings (metadata), or an empty one. */
export const stringMapParam = (params: FormObject, name: string): Record<string, string> => {
  const value = params[name];
  if (typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
};
