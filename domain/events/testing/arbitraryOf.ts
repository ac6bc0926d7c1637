import fc from 'fast-check';

/** The subset of JSON Schema that `z.toJSONSchema` emits for this system's event schemas. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
}

const isoInstant = fc
  .date({
    min: new Date('2020-01-01T00:00:00Z'),
    max: new Date('2035-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());
const isoDate = isoInstant.map((s) => s.slice(0, 10));

const localTime = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Jerusalem', 'UTC'] as const;
const DATE_FIELDS = new Set(['date', 'dates', 'from', 'to']);

const stringOf = (schema: JsonSchema, name: string | undefined): fc.Arbitrary<string> => {
  if (schema.format === 'date-time') return isoInstant;
  if (schema.format === 'date') return isoDate;
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
  // Strings checked only by a zod refinement (a local date or time, an IANA
  // zone) have no pattern here: the field's name says which shape it takes.
  if (name === 'opens' || name === 'closes') return localTime;
  if (name === 'zone' || name === 'timeZone') return fc.constantFrom(...ZONES);
  if (name !== undefined && DATE_FIELDS.has(name)) return isoDate;
  return fc.string({
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 12, 24),
  });
};

const integerOf = (schema: JsonSchema): fc.Arbitrary<number> => {
  const min = Math.max(
    schema.minimum ?? Number.MIN_SAFE_INTEGER,
    schema.exclusiveMinimum === undefined ? Number.MIN_SAFE_INTEGER : schema.exclusiveMinimum + 1,
  );
  const max = Math.min(
    schema.maximum ?? Number.MAX_SAFE_INTEGER,
    schema.exclusiveMaximum === undefined ? Number.MAX_SAFE_INTEGER : schema.exclusiveMaximum - 1,
  );
  // Mostly small values (the domain's typical range), sometimes the bounds.
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 100_000) }),
    },
    { weight: 1, arbitrary: fc.integer({ min, max }) },
  );
};

const ofType = (
  type: string,
  schema: JsonSchema,
  name: string | undefined,
): fc.Arbitrary<unknown> => {
  switch (type) {
    case 'string':
      return stringOf(schema, name);
    case 'integer':
      return integerOf(schema);
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e6,
        max: schema.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? arbitraryOf(schema.items, name) : fc.constant(null), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 2, 2)),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      return fc.record(
        Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, arbitraryOf(v, k)])),
        { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) },
      );
    }
    default:
      return fc.anything({ maxDepth: 1 });
  }
};

/**
 * Values matching a JSON schema, for property tests. Refinements the JSON
 * schema cannot express (from ≤ to, …) are the caller's to filter with the zod
 * schema itself.
 */
export const arbitraryOf = (schema: JsonSchema, name?: string): fc.Arbitrary<unknown> => {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return fc.oneof(...variants.map((v) => arbitraryOf(v, name)));
  if (Array.isArray(schema.type))
    return fc.oneof(...schema.type.map((t: string) => ofType(t, schema, name)));
  if (typeof schema.type === 'string') return ofType(schema.type, schema, name);
  return fc.anything({ maxDepth: 1 });
};
