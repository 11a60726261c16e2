// Kept for routes not yet on zod route schemas (other branches of this wave); new routes declare `schema` instead.
import type { z } from 'zod';
import { validationError } from '../errors.js';

/** zod at the edge: bad input becomes 400 VALIDATION_FAILED with the offending fields. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw validationError(r.error, what);
  return r.data;
}
