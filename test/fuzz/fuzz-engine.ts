/**
 * The fuzz engine (fast-check): requests built from the OpenAPI document of the running API, and real
 * documents (a logframe, a quarter's actuals) mutated one value at a time, sent as every persona.
 * A run fails on any 5xx, or on a body that shows a stack trace or SQL. Deterministic for a seed.
 */
import fc from 'fast-check';
import type TestAgent from 'supertest/lib/agent.js';

/** A JSON schema of the OpenAPI document (the parts the generator reads). */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  example?: unknown;
  readOnly?: boolean;
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string; schema?: Schema; required?: boolean }[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

/** One request of a run. */
export interface FuzzRequest {
  persona: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

/** What a run found. */
export interface FuzzReport {
  seed: number;
  requests: number;
  byStatus: Record<string, number>;
  failures: { request: FuzzRequest; status: number; body: string; why: string }[];
}

/** Values known to break naive code: prototype keys, NUL bytes, huge or odd numbers, deep nesting. */
const NASTY: unknown[] = [
  null,
  '',
  ' ',
  'toString',
  '__proto__',
  'constructor',
  'a\u0000b',
  '\ud800',
  "'; DROP TABLE project; --",
  '../../etc/passwd',
  '2026-02-30',
  '9999-12-31',
  '-1',
  'NaN',
  '1e400',
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  0.1 + 0.2,
  true,
  [],
  {},
  [null],
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  'x'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
];

const nasty = fc.constantFrom(...NASTY);

/** A reasonable value for a schema (valid most of the time), or a nasty one. */
export function valueFor(
  doc: OpenApiDocument,
  schema: Schema | undefined,
  known: KnownIds,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.oneof(nasty, fc.jsonValue({ maxDepth: 2 }));
  if (schema.$ref) return valueFor(doc, resolve(doc, schema.$ref), known, depth + 1);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => valueFor(doc, v, known, depth + 1)));
  if (schema.allOf?.length) return valueFor(doc, schema.allOf[0], known, depth + 1);
  const good = goodValue(doc, schema, known, depth);
  return fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: nasty });
}

function goodValue(doc: OpenApiDocument, schema: Schema, known: KnownIds, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
      return fc.oneof(
        fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 3000 }),
        fc.constantFrom(2026, 1, 3, 4),
      );
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.integer());
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(doc, schema.items, known, depth + 1), { maxLength: 3 });
    case 'object':
    case undefined:
      if (schema.properties) {
        const entries = Object.entries(schema.properties).filter(([, s]) => !s.readOnly);
        return fc.record(Object.fromEntries(entries.map(([k, s]) => [k, valueFor(doc, s, known, depth + 1)])), {
          requiredKeys: (schema.required ?? []).filter((k) => entries.some(([name]) => name === k)),
        });
      }
      return fc.jsonValue({ maxDepth: 2 });
    default:
      return stringFor(schema, known);
  }
}

function stringFor(schema: Schema, known: KnownIds): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case 'uuid':
      return fc.oneof(fc.uuid(), fc.constantFrom(...known.uuids));
    case 'date':
      return fc
        .date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress();
    case 'uri':
      return fc.webUrl();
    default:
      return fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('16.4', '1.A', 'OC1', '2026-Q1', 'sex', 'female', 'number', 'project'),
        ...(schema.example !== undefined ? [fc.constant(schema.example)] : []),
      );
  }
}

function resolve(doc: OpenApiDocument, ref: string): Schema | undefined {
  return doc.components.schemas[ref.replace('#/components/schemas/', '')];
}

/** Real ids to use in paths and bodies (so requests reach past the 404s). */
export interface KnownIds {
  uuids: string[];
}

/** A request built from one operation of the document. */
export function operationRequests(
  doc: OpenApiDocument,
  known: KnownIds,
  personas: string[],
): fc.Arbitrary<FuzzRequest> {
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ path, method, op })),
  );
  return fc.constantFrom(...operations).chain(({ path, method, op }) => {
    const params = op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === 'path');
    const queryParams = params.filter((p) => p.in === 'query');
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    return fc
      .record({
        persona: fc.constantFrom(...personas),
        pathValues: fc.tuple(
          ...pathParams.map((p) =>
            fc.oneof(
              valueFor(doc, p.schema, known),
              fc.constantFrom(...known.uuids),
              fc.constantFrom('2026', '1', '3'),
            ),
          ),
        ),
        query: fc.tuple(...queryParams.map((p) => fc.option(valueFor(doc, p.schema, known), { nil: undefined }))),
        body: bodySchema ? valueFor(doc, bodySchema, known) : fc.constant(undefined),
      })
      .map(({ persona, pathValues, query, body }) => {
        let filled = path;
        pathParams.forEach(
          (p, i) => (filled = filled.replace(`{${p.name}}`, encodeURIComponent(asText(pathValues[i])))),
        );
        return {
          persona,
          method,
          path: filled,
          query: Object.fromEntries(
            queryParams.flatMap((p, i) => (query[i] === undefined ? [] : [[p.name, asText(query[i])]])),
          ),
          body,
        };
      });
  });
}

/** Text of a generated value for a path or query (lone surrogates replaced: a URL cannot carry them). */
function asText(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Every leaf path of a JSON document (`['outcomes', 0, 'statement']`). */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...prefix, i])).concat([prefix]);
  if (value && typeof value === 'object')
    return Object.entries(value)
      .flatMap(([k, v]) => leafPaths(v, [...prefix, k]))
      .concat([prefix]);
  return [prefix];
}

/** The document with one value replaced (or removed, or a key added beside it). */
export function mutateOnce(document: unknown): fc.Arbitrary<unknown> {
  const paths = leafPaths(document).filter((p) => p.length > 0);
  return fc
    .record({
      path: fc.constantFrom(...paths),
      action: fc.constantFrom('replace', 'replace', 'replace', 'remove', 'add-key'),
      value: fc.oneof(nasty, fc.jsonValue({ maxDepth: 2 })),
    })
    .map(({ path, action, value }) => {
      const copy = structuredClone(document) as Record<string | number, unknown>;
      let parent: Record<string | number, unknown> = copy;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      const last = path[path.length - 1];
      if (action === 'remove') {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else if (action === 'add-key' && parent && typeof parent === 'object' && !Array.isArray(parent)) {
        Object.defineProperty(parent, String(value).slice(0, 20) || 'extra', {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
      } else parent[last] = value;
      return copy;
    });
}

const STACK_TRACE = /\n\s+at \S+ \(|\bat (async )?\S+ \(\/|node_modules\/|\.ts:\d+:\d+|\.js:\d+:\d+/;
const SQL =
  /\b(SELECT\s+[\s\S]{1,200}?\s+FROM|INSERT\s+INTO|UPDATE\s+"?\w+"?\s+SET|DELETE\s+FROM)\b|QueryFailedError|duplicate key value violates|violates (foreign key|check|not-null) constraint|syntax error at or near/i;

/** Why a response is a failure (5xx, stack trace or SQL in its body), or null. */
export function judge(status: number, body: string): string | null {
  if (status >= 500) return `status ${status}`;
  if (STACK_TRACE.test(body)) return 'stack trace in the body';
  if (SQL.test(body)) return 'SQL in the body';
  return null;
}

/** Sends one request through supertest and judges the answer. */
export async function send(
  agent: (persona: string) => TestAgent,
  request: FuzzRequest,
): Promise<{ status: number; body: string; why: string | null }> {
  const persona = agent(request.persona);
  const call = persona[request.method as 'get'](request.path)
    .query(request.query)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
  // Any JSON value, also a bare number or string, as the body's JSON text.
  const res =
    request.body === undefined
      ? await call
      : await call.set('content-type', 'application/json').send(JSON.stringify(request.body));
  const body = typeof res.body === 'string' ? res.body : String(res.text ?? '');
  return { status: res.status, body, why: judge(res.status, body) };
}
