/** A schema of the OpenAPI document, as far as the typing check reads it. */
interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
}

/**
 * Every field of the document that a generated typed client could not use: a schema of `type: object`
 * (or with no type at all) without properties, a `$ref`, an enum or typed variants. Paths read like
 * `QuarterProgressDto.indicators[].latestActual` or `get /reports/{id} 200`.
 */
export function untypedFields(doc: {
  components: { schemas: Record<string, JsonSchema> };
  paths: Record<string, Record<string, unknown>>;
}): string[] {
  const found: string[] = [];
  const check = (where: string, schema: JsonSchema | undefined): void => {
    if (!schema || schema.$ref || schema.enum) return;
    const variants = schema.oneOf ?? schema.anyOf ?? schema.allOf;
    if (variants) return variants.forEach((v, i) => check(`${where}|${i}`, v));
    if (schema.type === 'array') return check(`${where}[]`, schema.items);
    if (schema.type !== undefined && schema.type !== 'object') return;
    if (schema.properties)
      return Object.entries(schema.properties).forEach(([key, value]) => check(`${where}.${key}`, value));
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
      return check(`${where}{}`, schema.additionalProperties);
    found.push(where);
  };
  for (const [name, schema] of Object.entries(doc.components.schemas)) check(name, schema);
  type Op = {
    parameters?: { name: string; schema?: JsonSchema }[];
    requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
    responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  };
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops as Record<string, Op>)) {
      for (const p of op.parameters ?? []) check(`${method} ${path} parameter ${p.name}`, p.schema);
      for (const [type, c] of Object.entries(op.requestBody?.content ?? {}))
        if (type === 'application/json') check(`${method} ${path} body`, c.schema);
      for (const [status, r] of Object.entries(op.responses ?? {}))
        for (const [type, c] of Object.entries(r.content ?? {}))
          if (type === 'application/json') check(`${method} ${path} ${status}`, c.schema);
    }
  return found;
}
