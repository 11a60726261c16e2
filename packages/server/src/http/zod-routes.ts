import type { FastifySchemaCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { validationError } from '../errors.js';

/** How a request part is named in the contract's 400 message ("Invalid request body: content"). */
const PART_NAMES: Record<string, string> = {
  body: 'request body',
  querystring: 'query',
  params: 'path',
  headers: 'headers',
};

/**
 * Route schemas are zod schemas (fastify-type-provider-zod). Validation failures become the
 * contract's `400 VALIDATION_FAILED` AppError with `details: [{path, message}]` — exactly what
 * `parse()` in validate.ts produced before schemas moved into the route declaration. An absent
 * body or query is validated as `{}` (a missing field is named, not "expected object").
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const r = schema.safeParse(data ?? {});
    if (!r.success) return { error: validationError(r.error, PART_NAMES[httpPart ?? 'body'] ?? httpPart) };
    return { value: r.data };
  };

export { serializerCompiler as zodSerializerCompiler };
