/**
 * A small checker for the JSON Schemas generated from the protocol's zod schemas
 * (wire-schemas.gen.json): the subset z.toJSONSchema emits for our messages. It lets the
 * browser validate what it receives without bundling zod on the listener's path.
 *
 * Unknown fields are accepted on purpose (a newer server may add one; that is not a mismatch);
 * missing or wrongly typed fields and unknown message types are.
 */
export interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | boolean;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** Where and why a value does not match, e.g. `{ path: 'counts.2', problem: 'expected integer' }`. */
export interface WireProblem {
  path: string;
  problem: string;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function matchesType(v: unknown, t: string): boolean {
  switch (t) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    default:
      return typeOf(v) === t;
  }
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/** The branch of a union whose `type` (or other) constant the value carries, if any. */
function pickTagged(branches: JsonSchema[], v: unknown): JsonSchema | null {
  if (typeOf(v) !== 'object') return null;
  const obj = v as Record<string, unknown>;
  for (const b of branches) {
    const tag = b.properties?.type?.const;
    if (tag !== undefined && obj.type === tag) return b;
  }
  return null;
}

export function checkWire(schema: JsonSchema | boolean, v: unknown, path = ''): WireProblem | null {
  if (schema === true) return null;
  if (schema === false) return { path, problem: 'unexpected value' };
  const union = schema.oneOf ?? schema.anyOf;
  if (union) {
    const tagged = pickTagged(union, v);
    if (tagged) return checkWire(tagged, v, path);
    const tags = union.map((b) => b.properties?.type?.const).filter((t) => t !== undefined);
    if (tags.length === union.length && typeOf(v) === 'object') {
      const tag = (v as { type?: unknown }).type;
      return {
        path: join(path, 'type'),
        problem: tag === undefined ? 'missing' : `unknown type ${JSON.stringify(tag)}`,
      };
    }
    let first: WireProblem | null = null;
    for (const b of union) {
      const p = checkWire(b, v, path);
      if (!p) return null;
      first ??= p;
    }
    return first;
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matchesType(v, t))) {
      return { path, problem: `expected ${types.join(' or ')}, got ${typeOf(v)}` };
    }
  }
  if ('const' in schema && v !== schema.const) {
    return { path, problem: `expected ${JSON.stringify(schema.const)}` };
  }
  if (schema.enum && !schema.enum.includes(v)) {
    return { path, problem: `expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` };
  }
  if (typeof v === 'number') {
    if (schema.minimum !== undefined && v < schema.minimum)
      return { path, problem: `below ${schema.minimum}` };
    if (schema.maximum !== undefined && v > schema.maximum)
      return { path, problem: `above ${schema.maximum}` };
    if (schema.exclusiveMinimum !== undefined && v <= schema.exclusiveMinimum)
      return { path, problem: `not above ${schema.exclusiveMinimum}` };
    if (schema.exclusiveMaximum !== undefined && v >= schema.exclusiveMaximum)
      return { path, problem: `not below ${schema.exclusiveMaximum}` };
  }
  if (typeof v === 'string') {
    if (schema.minLength !== undefined && v.length < schema.minLength) return { path, problem: 'too short' };
    if (schema.maxLength !== undefined && v.length > schema.maxLength) return { path, problem: 'too long' };
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(v))
      return { path, problem: 'wrong format' };
  }
  if (Array.isArray(v)) {
    if (schema.minItems !== undefined && v.length < schema.minItems)
      return { path, problem: `fewer than ${schema.minItems} items` };
    if (schema.maxItems !== undefined && v.length > schema.maxItems)
      return { path, problem: `more than ${schema.maxItems} items` };
    const prefix = schema.prefixItems ?? [];
    for (let i = 0; i < v.length; i++) {
      const item = i < prefix.length ? prefix[i]! : schema.items;
      if (item === undefined) continue;
      const p = checkWire(item, v[i], join(path, i));
      if (p) return p;
    }
  }
  if (schema.properties && typeOf(v) === 'object') {
    const obj = v as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in obj)) return { path: join(path, key), problem: 'missing' };
    }
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (obj[key] === undefined) continue;
      const p = checkWire(sub, obj[key], join(path, key));
      if (p) return p;
    }
  }
  return null;
}
