// Request validation with the contract's zod schemas: a failure is a 400 naming the field.
import type { z } from 'zod';
import { HttpError } from './errors.ts';

export function parse<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : where;
  const code = field === 'name' ? 'invalid_name' : 'invalid_request';
  throw new HttpError(code, `${field}: ${issue.message}`);
}
